// Loopback OpenID provider for genauth-rs tests (see README.md). Run: PORT=0 node tests/oidc/provider.mjs
//
// stdout carries exactly one line, `listening http://127.0.0.1:<port>`, so a test can parse the port;
// everything else goes to stderr. The process exits when stdin closes, so a test that dies (and
// with it the pipe) never leaves the fixture running.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';

import Provider, { errors } from 'oidc-provider';
// Deep imports (oidc-provider 8.x has no "exports" map); both are patched below, see why there.
import MemoryAdapter, { setStorage } from 'oidc-provider/lib/adapters/memory_adapter.js';
import userinfoStack from 'oidc-provider/lib/actions/userinfo.js';

// oidc-provider prints its NOTICEs with console.info, i.e. to stdout: keep stdout for the one line.
console.log = console.info = console.warn;

const MOUNT = '/oidc';
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const POST_LOGOUT_REDIRECT_URI = 'http://127.0.0.1:9/logged-out';
// The one resource indicator every authorization/token request defaults to; its access tokens are
// JWTs whose aud is the requesting client's id, as GenAuth's are (see getResourceServerInfo).
const RESOURCE = 'urn:genauth-fixture:client-audience';
const RS_SCOPE = 'openid profile email offline_access admin read';

const { keys } = JSON.parse(fs.readFileSync(new URL('./keys.json', import.meta.url), 'utf8'));
const [key1, key2] = keys;
const publicKeys = new Map(keys.map((k) => [k.kid, crypto.createPublicKey({ key: k, format: 'jwk' })]));

// The built-in MemoryAdapter keeps everything in one module-level store, so both Provider
// instances (before and after /__test/rotate) share sessions, grants and tokens. That store is an
// LRU of 1000 entries (~10 per login), which a long test run could overflow and then lose a live
// session; a plain Map never evicts (expiry is still enforced by the models) and dies with us.
setStorage(new Map());

// JWT access tokens are never stored by oidc-provider, so userinfo, introspection and revocation
// could not find them. The jwt customizer below stores each one under `jwt:<jti>`; this adapter
// maps a presented JWT (signature checked against our own keys) to that record.
const JWT_KINDS = new Set(['AccessToken', 'ClientCredentials']);
class Adapter extends MemoryAdapter {
  async find(id) {
    if (JWT_KINDS.has(this.model) && typeof id === 'string' && id.split('.').length === 3) {
      const jti = verifiedJti(id);
      return jti ? super.find(`jwt:${jti}`) : undefined;
    }
    return super.find(id);
  }

  async destroy(id) {
    if (JWT_KINDS.has(this.model)) await super.destroy(`jwt:${id}`);
    return super.destroy(id);
  }
}

function verifiedJti(jwt) {
  try {
    const [h, p, s] = jwt.split('.');
    const { alg, kid } = JSON.parse(Buffer.from(h, 'base64url'));
    const key = publicKeys.get(kid);
    const ok = alg === 'RS256' && key
      && crypto.verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
    return ok ? JSON.parse(Buffer.from(p, 'base64url')).jti : undefined;
  } catch {
    return undefined;
  }
}

// userinfo refuses every access token that has an audience ("token audience prevents accessing
// the userinfo endpoint"), i.e. every resource-server token. GenAuth's /oidc/me accepts its JWT
// access tokens, whose aud is the client id, so accept exactly that case.
{
  const i = userinfoStack.findIndex((fn) => fn.name === 'validateAudience');
  if (i === -1) throw new Error('oidc-provider userinfo stack changed: validateAudience not found');
  userinfoStack[i] = function validateAudience(ctx, next) {
    const { aud, clientId } = ctx.oidc.entities.AccessToken;
    if (aud !== undefined && aud !== clientId) {
      throw new errors.InvalidToken('token audience prevents accessing the userinfo endpoint');
    }
    return next();
  };
}

const client = (client_id, extra) => ({
  client_id,
  redirect_uris: [REDIRECT_URI],
  post_logout_redirect_uris: [POST_LOGOUT_REDIRECT_URI],
  grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
  response_types: ['code'],
  id_token_signed_response_alg: 'RS256',
  ...extra,
});

function configuration(jwks) {
  return {
    adapter: Adapter,
    jwks: { keys: jwks },
    clients: [
      client('rs-app', { client_secret: 'rs-secret-0123456789abcdef0123456789', token_endpoint_auth_method: 'client_secret_post' }),
      client('basic-app', { client_secret: 'basic-secret-0123456789abcdef01234567', token_endpoint_auth_method: 'client_secret_basic' }),
      client('hs-app', { client_secret: 'hs-secret-0123456789abcdef0123456789ab', token_endpoint_auth_method: 'client_secret_post', id_token_signed_response_alg: 'HS256' }),
      // No client_credentials here: oidc-provider would hand such tokens to anyone naming the id.
      client('public-app', { token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] }),
    ],
    responseTypes: ['code'], // and so no implicit grant in discovery
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'HS256'] },
    routes: { jwks: '/.well-known/jwks.json' }, // the rest of the defaults already match GenAuth's
    claims: {
      acr: null, sid: null, auth_time: null, iss: null,
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'roles'], // roles is not standard; riding on profile puts it in openid profile email
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    async findAccount(ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return { sub, email: `${sub}@example.com`, email_verified: true, name: `User ${sub}`, roles: ['reader'] };
        },
      };
    },
    features: {
      devInteractions: { enabled: true }, // any login name, any password
      pushedAuthorizationRequests: { enabled: false }, // on by default; GenAuth has no /oidc/request
      introspection: {
        enabled: true,
        // a client may introspect only its own tokens
        async allowedPolicy(ctx, caller, token) { return token.clientId === caller.clientId; },
      },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        // without this an `openid` code/refresh exchange yields an opaque userinfo-only token
        useGrantedResource: () => true,
        async getResourceServerInfo(ctx, indicator, requester) {
          if (indicator !== RESOURCE) throw new errors.InvalidTarget();
          return {
            audience: requester.clientId,
            scope: RS_SCOPE,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    formats: {
      customizers: {
        // Called while a JWT access token is built; stores it so that it can be found again.
        async jwt(ctx, token, { payload: { jti, iat, exp } }) {
          const record = {};
          for (const k of token.constructor.IN_PAYLOAD) if (token[k] !== undefined) record[k] = token[k];
          Object.assign(record, { jti, iat, exp, kind: token.kind, extra: token.extra });
          await token.adapter.upsert(`jwt:${jti}`, record, exp - iat);
        },
      },
    },
    // Skip consent: grant whatever is asked (offline_access only survives with prompt=consent,
    // so refresh tokens are tied to the client's refresh_token grant instead, see issueRefreshToken).
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const { Grant } = oidc.provider;
      const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
      let grant = grantId && await Grant.find(grantId);
      if (!grant || grant.accountId !== oidc.session.accountId) {
        grant = new Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
      }
      if (oidc.requestParamOIDCScopes.size) grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      grant.addOIDCClaims([...oidc.requestParamClaims]);
      for (const [indicator, rs] of Object.entries(oidc.resourceServers)) {
        const scope = [...oidc.requestParamScopes].filter((s) => rs.scopes.has(s)).join(' ');
        if (scope) grant.addResourceScope(indicator, scope);
      }
      await grant.save();
      return grant;
    },
    issueRefreshToken: async (ctx, c) => c.grantTypeAllowed('refresh_token'),
    pkce: { methods: ['S256'], required: (ctx, c) => c.clientAuthMethod === 'none' },
    cookies: {
      keys: ['genauth-fixture-cookie-key-1', 'genauth-fixture-cookie-key-0'],
      // SameSite=None without Secure is refused by browsers and doubles every cookie (`.legacy`);
      // over plain http on 127.0.0.1 lax is what works. Secure is only set on https requests.
      long: { httpOnly: true, sameSite: 'lax' },
    },
    ttl: {
      AccessToken: 300,
      IdToken: 300,
      RefreshToken: 3600,
      ClientCredentials: 300,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  };
}

const server = http.createServer();
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  const { port } = server.address();
  const base = `http://127.0.0.1:${port}`;
  const issuer = `${base}${MOUNT}`;
  // /__test/rotate swaps in the second instance: signs with key-2, publishes [key-2, key-1].
  const instances = [new Provider(issuer, configuration([key1])), new Provider(issuer, configuration([key2, key1]))];
  let current = instances[0].callback();

  server.on('request', (req, res) => {
    if (req.url === '/__test/rotate' && req.method === 'POST') {
      current = instances[1].callback();
      res.writeHead(204).end();
    } else if (req.url.startsWith(`${MOUNT}/`)) {
      // What express's app.use('/oidc', ...) does; oidc-provider derives its URLs from these.
      req.originalUrl = req.url;
      req.baseUrl = MOUNT;
      req.url = req.url.slice(MOUNT.length);
      current(req, res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });

  process.stdout.write(`listening ${base}\n`);
});

process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
