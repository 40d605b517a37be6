#!/usr/bin/env python3
"""Fills the workbook `regtrace init` writes (data.xlsx) as a person would in Excel, with openpyxl.

Usage: tests/fill-template.py DATA.xlsx
Checks the drop-downs are there (kind and status on `nodes`, relation on `edges`, each a list
read from the `kinds` or `relations` sheet), then types one standard and one link into the empty
sheets, each value chosen from its drop-down's list, and saves the workbook in place. Exits 1 if
a drop-down is missing or a value is not in its list, 3 if the Python package `openpyxl` is
missing (pip install openpyxl).
"""
import sys

try:
    import openpyxl
except ImportError:
    print("openpyxl is not installed: pip install openpyxl", file=sys.stderr)
    sys.exit(3)


def drop_down(sheet, column_name):
    """The values a column's drop-down offers, read from the sheet its list formula names."""
    header = [cell.value for cell in sheet[1]]
    letter = openpyxl.utils.get_column_letter(header.index(column_name) + 1)
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list" and any(
            str(cell_range).startswith(f"{letter}2:") for cell_range in validation.sqref.ranges
        ):
            target, cells = validation.formula1.split("!")
            first, last = cells.replace("$", "").split(":")
            listed = workbook[target][f"{first}:{last}"]
            return [row[0].value for row in listed if row[0].value]
    sys.exit(f"no drop-down on {sheet.title}!{letter}")


def choose(values, wanted):
    if wanted not in values:
        sys.exit(f"{wanted!r} is not offered (the list: {values})")
    return wanted


path = sys.argv[1]
workbook = openpyxl.load_workbook(path)
nodes, edges = workbook["nodes"], workbook["edges"]
kinds, statuses = drop_down(nodes, "kind"), drop_down(nodes, "status")
relations = drop_down(edges, "relation")
if nodes.freeze_panes != "A2" or edges.freeze_panes != "A2":
    sys.exit("the header rows are not frozen")
header = [cell.value for cell in nodes[1]]
row = {name: None for name in header}
row.update(
    id="iso-14971-2019",
    kind=choose(kinds, "standard"),
    title="ISO 14971:2019 Medical devices — Application of risk management to medical devices",
    title_ja="ISO 14971:2019 医療機器－リスクマネジメントの医療機器への適用",
    status=choose(statuses, "published"),
    published="2019-12",
)
nodes.append([row[name] for name in header])
edges.append(["dev-my-device", "iso-14971-2019", choose(relations, "conforms_to"), "filled in Excel"])
workbook.save(path)
print(f"{path}: filled ({len(kinds)} kinds, {len(statuses)} statuses, {len(relations)} relations offered)")
