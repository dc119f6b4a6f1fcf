"""Checks one executed notebook: no error outputs, and every MIME type it promises is present.

    python3 notebooks/check-executed.py EXECUTED.ipynb NAME

A notebook promises outputs in its metadata, e.g. {"prune4j": {"expects": ["html-table", "image/png"]}}:
each entry is a MIME type that some output must carry, or "html-table": a text/html output holding a
<table> (a kernel may show any plain value as text/html, so the MIME type alone proves little).
Prints one line per problem (prefixed with NAME) and exits 1 if there is any; prints a short
summary of the output types and exits 0 otherwise.
"""
import json
import re
import sys

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def main(path, name):
    with open(path, encoding="utf-8") as f:
        notebook = json.load(f)
    problems = []
    counts = {}
    lessons = []
    code_cells = 0
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        code_cells += 1
        source = "".join(cell.get("source", []))
        first_line = next((line for line in source.splitlines() if line.strip()), "").strip()
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                trace = "\n".join(ANSI.sub("", line) for line in output.get("traceback", []))
                detail = f"{output.get('ename', '')}: {output.get('evalue', '')}".strip(": ")
                problems.append(f"{name}: cell {code_cells} ({first_line[:70]}) failed: {detail}"
                                + (f"\n{trace.strip()[:2000]}" if trace.strip() else ""))
            if kind == "stream":
                lessons.extend(line[len("lesson: "):] for line in "".join(output.get("text", [])).splitlines()
                               if line.startswith("lesson: "))
            for mime, value in output.get("data", {}).items():
                counts[mime] = counts.get(mime, 0) + 1
                text = value if isinstance(value, str) else "".join(value)
                if mime == "text/html" and "<table" in text:
                    counts["html-table"] = counts.get("html-table", 0) + 1
    expects = notebook.get("metadata", {}).get("prune4j", {}).get("expects")
    if expects is None:
        problems.append(f'{name}: metadata has no "prune4j": {{"expects": [...]}} list of promised output types')
        expects = []
    for mime in expects:
        if counts.get(mime, 0) == 0:
            problems.append(f"{name}: promises {mime} output but the executed notebook has none "
                            f"(it has: {', '.join(sorted(counts)) or 'no rich outputs'})")
    if problems:
        print("\n".join(problems))
        return 1
    print(", ".join(f"{mime} x{counts[mime]}" for mime in sorted(counts))
          + "".join(f"\n  lesson shown: {lesson}" for lesson in lessons))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
