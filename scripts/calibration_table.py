"""Print the calibration table (target, source, model value, margin to the nearer limit, pass) as Markdown.

Run: .venv/bin/python -m scripts.calibration_table
"""

from model.validation import CHECKS, PREDICTIONS


def markdown(checks=CHECKS) -> str:
    lines = ["| check | quantity | target | model | margin | pass | source |", "|---|---|---|---|---|---|---|"]
    for c in checks:
        value, ok = c.evaluate()
        lines.append(
            f"| {c.group} | {c.quantity} | {c.target} | {value:.3g} {c.unit} | {c.margin(value):.2g} | "
            f"{'yes' if ok else 'NO'} | {c.source} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
    print("\nOut-of-sample predictions (not used for calibration):\n")
    print(markdown(PREDICTIONS))
