//! The stand-in's user pool: a numbered list of users served page by page by the paged user
//! operations, as the service pages them (`page` from 1, `limit` at most 50, `totalCount` and
//! `list`), with the controls the pagination tests need: resize the pool mid-walk, fail one page,
//! page differently from the documentation ([`PoolQuirks`]), and a log of every page asked for.

use serde_json::{Value, json};

/// The paged operations the pool answers, and where each takes its page number and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PageAt {
    /// Query parameters.
    Query,
    /// Top-level body fields (strings in `list-tenant-admin`, numbers elsewhere).
    Body,
    /// `options.pagination` in the body.
    OptionsPagination,
}

fn paged_operation(method: &http::Method, path: &str) -> Option<PageAt> {
    match (method.as_str(), path) {
        ("GET", "/api/v3/list-group-members") => Some(PageAt::Query),
        ("POST", "/api/v3/list-tenant-admin") => Some(PageAt::Body),
        ("POST", "/api/v3/list-users") => Some(PageAt::OptionsPagination),
        _ => None,
    }
}

/// One page request the pool received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageAsked {
    /// The operation's path.
    pub path: String,
    /// The page number asked for.
    pub page: i64,
    /// The page size asked for.
    pub limit: i64,
}

/// Ways a service pages differently from what it documents, to test that a walk neither
/// truncates nor repeats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolQuirks {
    /// Serves at most this many items a page, whatever `limit` asked for (and counts pages in
    /// that size).
    pub clamp_limit: Option<usize>,
    /// What `totalCount` says (the three operations' answers require the field).
    pub total: Total,
    /// Ignores `page`: every request gets the first page.
    pub ignore_page: bool,
}

/// What the answers' `totalCount` says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Total {
    /// The pool's size.
    #[default]
    Exact,
    /// This many, whatever the pool holds.
    Claimed(usize),
}

/// The pool's state.
#[derive(Debug, Default)]
pub(crate) struct UserPool {
    pub(crate) size: usize,
    pub(crate) fail_page: Option<i64>,
    pub(crate) quirks: PoolQuirks,
    pub(crate) asked: Vec<PageAsked>,
}

/// The id of the `n`-th user (from 0).
pub fn user_id(n: usize) -> String {
    format!("user-{n:04}")
}

/// What the pool answers: `None` when the request is not a paged user operation, else the
/// envelope's `(statusCode, message, data)`.
pub(crate) fn answer(
    pool: &mut UserPool,
    method: &http::Method,
    path: &str,
    query: &[(String, Vec<String>)],
    body: &Value,
) -> Option<(u16, String, Value)> {
    let at = paged_operation(method, path)?;
    let number = |v: Option<&Value>| v.and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()));
    let (page, limit) = match at {
        PageAt::Query => {
            let get = |key: &str| {
                query.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.first()).and_then(|v| v.parse::<i64>().ok())
            };
            (get("page"), get("limit"))
        }
        PageAt::Body => (number(body.get("page")), number(body.get("limit"))),
        PageAt::OptionsPagination => {
            let p = &body["options"]["pagination"];
            (number(p.get("page")), number(p.get("limit")))
        }
    };
    // The service's defaults and bounds.
    let (page, limit) = (page.unwrap_or(1), limit.unwrap_or(10));
    pool.asked.push(PageAsked { path: path.to_owned(), page, limit });
    if page < 1 || !(1..=50).contains(&limit) {
        return Some((400, format!("page must be >= 1 and limit 1..=50, got page {page}, limit {limit}"), Value::Null));
    }
    if pool.fail_page == Some(page) {
        return Some((500, format!("simulated failure on page {page}"), Value::Null));
    }
    let quirks = pool.quirks;
    let served = usize::try_from(limit).unwrap_or(0).min(quirks.clamp_limit.unwrap_or(usize::MAX));
    let page = if quirks.ignore_page { 1 } else { usize::try_from(page).unwrap_or(1) };
    let start = (page - 1).saturating_mul(served).min(pool.size);
    let end = start.saturating_add(served).min(pool.size);
    let list: Vec<Value> =
        if at == PageAt::Body { (start..end).map(tenant_user).collect() } else { (start..end).map(user).collect() };
    let data = match quirks.total {
        Total::Exact => json!({ "totalCount": pool.size, "list": list }),
        Total::Claimed(total) => json!({ "totalCount": total, "list": list }),
    };
    Some((200, "操作成功".to_owned(), data))
}

/// A tenant's user as `list-tenant-admin` lists it (every field `TenantUserDto` requires).
fn tenant_user(n: usize) -> Value {
    json!({
        "gender": "U",
        "userPoolId": "pool-62188e71c",
        "tenantId": "tenant-1",
        "memberId": format!("member-{n:04}"),
        "linkUserId": user_id(n),
        "isTenantAdmin": true,
    })
}

/// A user as the API lists it (every field `UserDto` requires).
fn user(n: usize) -> Value {
    json!({
        "userId": user_id(n),
        "createdAt": "2022-07-03T03:20:30.000Z",
        "updatedAt": "2022-07-03T03:20:30.000Z",
        "status": "Activated",
        "workStatus": "Active",
        "gender": "U",
        "emailVerified": false,
        "phoneVerified": false,
        "userSourceType": "manual",
        "username": format!("user{n}"),
    })
}
