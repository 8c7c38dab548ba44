"""Draw the model in one figure (docs/model.png): heroin 25 mg IV 24 h after naltrexone 50 mg.

Run: .venv/bin/python -m scripts.model_figure
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from model import load_scenario, simulate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    r = simulate(load_scenario(ROOT / "examples" / "heroin_after_naltrexone.toml"))
    t = r.table.time_h
    fig, ax = plt.subplots(3, 1, figsize=(9, 8), sharex=True, constrained_layout=True)
    ax[0].plot(t, r.table.naltrexone_plasma_ng_per_ml, color="#0072B2", label="naltrexone")
    ax[0].plot(t, r.table.naltrexol_plasma_ng_per_ml, color="#1D96DB", label="6-beta-naltrexol")
    ax[0].plot(t, r.table.monoacetylmorphine_plasma_ng_per_ml, color="#D55E00", label="6-MAM (from heroin)")
    ax[0].set_yscale("log")
    ax[0].set_ylim(0.01, 500)
    ax[0].set_ylabel("plasma (ng/mL)")
    ax[0].legend(loc="upper right")
    ax[1].plot(t, r.table.occupancy_antagonist, color="#0072B2", label="antagonists")
    ax[1].plot(t, r.table.occupancy_agonist, color="#D55E00", label="agonists")
    ax[1].set_ylim(0, 1)
    ax[1].set_ylabel("receptor occupancy")
    ax[1].legend(loc="upper right")
    ax[2].plot(t, r.table.reward_without_naltrexone, color="#999999", ls="--", label="without naltrexone")
    ax[2].plot(t, r.table.reward, color="#D55E00", label="with naltrexone 50 mg at 0 h")
    ax[2].set_ylim(0, 1)
    ax[2].set_ylabel("reward (0-1)")
    ax[2].set_xlabel("time (h)")
    ax[2].legend(loc="upper left")
    fig.suptitle("Heroin 25 mg IV at 24, 48, 72 h after one 50 mg naltrexone tablet")
    (ROOT / "docs").mkdir(exist_ok=True)
    fig.savefig(ROOT / "docs" / "model.png", dpi=110)
    print("wrote docs/model.png")
