//! PLACEHOLDER (H1 replaces): identifiers.
