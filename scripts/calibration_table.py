"""Print the calibration table (target, source, model value, tolerance, pass) as Markdown.

Run: .venv/bin/python -m scripts.calibration_table
"""

from model.validation import CHECKS, PREDICTIONS


def markdown(checks=CHECKS) -> str:
    lines = ["| check | quantity | target | model | pass | source |", "|---|---|---|---|---|---|"]
    for c in checks:
        value, ok = c.evaluate()
        lines.append(f"| {c.group} | {c.quantity} | {c.target} | {value:.3g} {c.unit} | {'yes' if ok else 'NO'} | {c.source} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
    print("\nOut-of-sample predictions (not used for calibration):\n")
    print(markdown(PREDICTIONS))
