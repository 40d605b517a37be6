#!/usr/bin/env python3
"""Writes the workbooks of the xlsx-* bad-input cases (binary files, so made by a script that
says what each holds). Needs openpyxl (`pip install openpyxl`); run from tests/bad-input/ and
commit the .xlsx files: the tests do not run this script."""

import datetime
import openpyxl

NODES = ["id", "kind", "title", "published"]


def book(sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    return wb


def save(case, wb):
    wb.save(f"{case}/data.xlsx")


# The sheets keep Excel's default names: nothing says which holds nodes.
save("xlsx-wrong-sheet-names", book([
    ("Sheet1", [NODES, ["pump", "device", "Infusion pump", None]]),
    ("Sheet2", [["from", "to", "relation"]]),
]))

# A kind typed once for two rows, merged down: the second row's cell is empty in the file.
wb = book([("nodes", [NODES, ["pump", "device", "Infusion pump", None], ["valve", None, "Valve", None]])])
wb["nodes"].merge_cells("B2:B3")
save("xlsx-merged-cell", wb)

# A title computed by a formula.
save("xlsx-formula", book([("nodes", [NODES, ["pump", "device", "=\"Infusion \"&\"pump\"", None]])]))

# A date typed as the serial number Excel shows when the cell is formatted as a number; and one
# that is a real date (accepted).
save("xlsx-date-as-number", book([("nodes", [
    NODES,
    ["iso-14971-2019", "standard", "ISO 14971", 43800],
    ["iso-13485-2016", "standard", "ISO 13485", datetime.datetime(2016, 3, 1)],
])]))

# A row without its id.
save("xlsx-empty-id", book([("Nodes", [
    ["ID", "Kind", "Title"],
    ["pump", "device", "Infusion pump"],
    [None, "device", "Valve"],
])]))
