#!/usr/bin/env python3
"""Validates ReqIF files against the ReqIF 1.2 XSD (tests/fixtures/reqif/schema), offline.

Usage: tests/reqif-xsd.py FILE.reqif|FILE.reqifz ...
Prints each file's first problems and exits 1 if any file is invalid, 3 if the Python package
`xmlschema` is missing (pip install xmlschema). libxml2's xmllint cannot resolve the schema's
imports; xmlschema can.
"""
import io
import pathlib
import sys
import zipfile

try:
    import xmlschema
except ImportError:
    print("xmlschema is not installed: pip install xmlschema", file=sys.stderr)
    sys.exit(3)

SCHEMA = pathlib.Path(__file__).parent / "fixtures" / "reqif" / "schema" / "reqif.xsd"


def documents(path):
    if path.suffix == ".reqifz":
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith(".reqif"):
                    yield f"{path}!{name}", io.BytesIO(archive.read(name))
    else:
        yield str(path), str(path)


def main(paths):
    schema = xmlschema.XMLSchema(str(SCHEMA))
    bad = 0
    for path in map(pathlib.Path, paths):
        for name, source in documents(path):
            errors = list(schema.iter_errors(source))
            if errors:
                bad += 1
                print(f"{name}: {len(errors)} problem(s)")
                for error in errors[:5]:
                    print(f"  {error.path}: {error.reason}")
            else:
                print(f"{name}: valid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
