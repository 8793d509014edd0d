//! Reads generated Markdown back: headings and tables, for tests that check pages against the
//! model.

/// A table and the heading it appears under.
#[derive(Debug, Clone)]
pub struct ParsedTable {
    /// The text of the closest heading above the table (without `#`s).
    pub heading: String,
    /// Header cells.
    pub header: Vec<String>,
    /// Body rows (the `|---|` rule is dropped).
    pub rows: Vec<Vec<String>>,
}

/// Splits a table line into cells on `|` not preceded by `\`; cells are trimmed, and the empty
/// cells outside the leading and trailing pipes are dropped.
pub fn split_row(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in line.trim().chars() {
        if c == '|' && !escaped {
            cells.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    cells.push(current);
    // `| a | b |` splits into ["", " a ", " b ", ""].
    if cells.first().is_some_and(|c| c.trim().is_empty()) {
        cells.remove(0);
    }
    if cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells.into_iter().map(|c| c.trim().to_owned()).collect()
}

/// Heading lines (`#`..`######`) outside code fences, with their level and text.
pub fn headings(md: &str) -> Vec<(usize, String)> {
    outside_fences(md)
        .filter_map(|line| {
            let level = line.chars().take_while(|c| *c == '#').count();
            (1..=6)
                .contains(&level)
                .then(|| line[level..].trim())
                .filter(|_| line[level..].starts_with(' '))
                .map(|t| (level, t.to_owned()))
        })
        .collect()
}

/// Every table outside code fences, with the heading above it.
pub fn tables(md: &str) -> Vec<ParsedTable> {
    let mut out: Vec<ParsedTable> = Vec::new();
    let mut heading = String::new();
    let mut in_table = false;
    for line in outside_fences(md) {
        if line.starts_with('#') {
            heading = line.trim_start_matches('#').trim().to_owned();
        }
        if line.starts_with('|') {
            let cells = split_row(line);
            if !in_table {
                out.push(ParsedTable { heading: heading.clone(), header: cells, rows: Vec::new() });
                in_table = true;
            } else if !cells.iter().all(|c| c.chars().all(|ch| ch == '-' || ch == ':')) {
                out.last_mut().expect("table started").rows.push(cells);
            }
        } else {
            in_table = false;
        }
    }
    out
}

/// The lines of `md` that are not inside ``` fences (nor fence lines themselves).
pub fn outside_fences(md: &str) -> impl Iterator<Item = &str> {
    let mut in_fence = false;
    md.lines().filter(move |line| {
        if line.starts_with("```") {
            in_fence = !in_fence;
            return false;
        }
        !in_fence
    })
}

/// The contents of the first ```` ```{lang} ```` block under the heading `heading`.
pub fn code_block_after(md: &str, heading: &str, lang: &str) -> Option<String> {
    let start = md.find(&format!("\n## {heading}\n"))?;
    let rest = &md[start..];
    let open = rest.find(&format!("```{lang}\n"))? + lang.len() + 4;
    let close = rest[open..].find("\n```")?;
    Some(rest[open..open + close + 1].to_owned())
}

#[test]
fn rows_split_on_unescaped_pipes_only() {
    assert_eq!(split_row("| a | b \\| c |  |"), vec!["a", "b \\| c", ""]);
}
