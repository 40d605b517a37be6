//! Aligned text tables for the terminal: no borders, columns aligned by display width (so
//! Japanese lines up), one line per row.

use comfy_table::{ContentArrangement, Row, Table, presets};

/// A table whose header cells are upper-cased.
pub fn table(header: &[&str]) -> Table {
    table_as_is(header.iter().map(|h| h.to_uppercase()))
}

/// A table whose header cells are shown as given (e.g. ids).
pub fn table_as_is(header: impl IntoIterator<Item = String>) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::NOTHING).set_header(header);
    table.set_content_arrangement(ContentArrangement::Disabled);
    table
}

/// The table as text, with the left padding comfy-table adds removed. A line break inside a
/// cell is shown as `↵`, so no cell can fake a row of its own.
pub fn render(table: &Table) -> String {
    let mut flat = Table::new();
    flat.load_preset(presets::NOTHING);
    flat.set_content_arrangement(ContentArrangement::Disabled);
    let one_line = |row: &Row| -> Vec<String> {
        row.cell_iter()
            .map(|c| c.content().replace("\r\n", "↵").replace(['\n', '\r'], "↵"))
            .collect()
    };
    if let Some(header) = table.header() {
        flat.set_header(one_line(header));
    }
    for row in table.row_iter() {
        flat.add_row(one_line(row));
    }
    let mut out = String::new();
    for line in flat.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(&line).trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_columns_line_up_and_breaks_stay_in_their_cell() {
        let mut t = table(&["id", "title"]);
        t.add_row(vec!["a", "人工心臓"]);
        t.add_row(vec!["bb", "x\ny"]);
        let text = render(&t);
        assert_eq!(text, "ID  TITLE\na   人工心臓\nbb  x↵y\n");
    }
}
