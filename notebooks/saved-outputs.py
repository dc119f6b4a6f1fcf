"""Committed notebooks carry the outputs of an error-free run of their current code, so GitHub shows them.

    python3 notebooks/saved-outputs.py save EXECUTED.ipynb NOTEBOOK.ipynb   (notebooks/execute --save)
    python3 notebooks/saved-outputs.py check NOTEBOOK.ipynb                 (every full notebooks/execute)

save: copies the executed notebook's outputs over the committed one, drops run-specific metadata (timings), and
records a fingerprint of the code cells it ran. check: fails when a notebook has no saved outputs, when a code
cell has no execution count or the counts are not 1, 2, 3, ... (outputs from a partial or rerun session), when
any output is an error, or when the code changed since its outputs were saved (the fingerprint differs).
Prints one line per problem and exits 1 if there is any.
"""
import hashlib
import json
import sys


def code_fingerprint(notebook):
    sources = ["".join(cell.get("source", [])) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    return hashlib.sha256("\n\x00\n".join(sources).encode("utf-8")).hexdigest()[:16]


def save(executed_path, notebook_path):
    with open(executed_path, encoding="utf-8") as f:
        executed = json.load(f)
    for cell in executed["cells"]:
        cell.get("metadata", {}).pop("execution", None)
    executed["metadata"].setdefault("prune4j", {})["outputs_of_code"] = code_fingerprint(executed)
    with open(notebook_path, "w", encoding="utf-8") as f:
        json.dump(executed, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return 0


def check(notebook_path):
    with open(notebook_path, encoding="utf-8") as f:
        notebook = json.load(f)
    name = notebook_path.rsplit("/", 1)[-1]
    problems = []
    counts = [cell.get("execution_count") for cell in notebook["cells"] if cell["cell_type"] == "code"]
    if counts != list(range(1, len(counts) + 1)):
        problems.append(f"{name}: saved execution counts are {counts}, not 1..{len(counts)}: "
                        f"run 'notebooks/execute --save'")
    for index, cell in enumerate(c for c in notebook["cells"] if c["cell_type"] == "code"):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"{name}: code cell {index + 1} has a saved error: {output.get('evalue', '')[:200]}")
    saved = notebook["metadata"].get("prune4j", {}).get("outputs_of_code")
    if saved != code_fingerprint(notebook):
        problems.append(f"{name}: the code changed since its outputs were saved: run 'notebooks/execute --save'")
    if problems:
        print("\n".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "save" and len(sys.argv) == 4:
        sys.exit(save(sys.argv[2], sys.argv[3]))
    if sys.argv[1] == "check" and len(sys.argv) == 3:
        sys.exit(check(sys.argv[2]))
    sys.exit("usage: saved-outputs.py save EXECUTED NOTEBOOK | check NOTEBOOK")
