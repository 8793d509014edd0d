//! PLACEHOLDER (H3 replaces): the loopback GenAuth stand-in.
