"""Every page of the app, once: file, title, icon, link name and the line Home shows for it.

Read by ``app.py`` (navigation), Home (the lesson list), the tests, the screenshots script and the
benchmarks; imports nothing of Streamlit, so scripts can read it without starting the app.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    """One page: ``path`` under the project root, ``url`` its link name ("home" is the root).

    ``downloads``: whether the page offers its data and figures as files (the mystery drug does not:
    a file would give the drug away).
    """

    path: str
    title: str
    icon: str
    url: str
    blurb: str = ""
    downloads: bool = True

    @property
    def name(self) -> str:
        """The title without its lesson number."""
        return self.title.split(" ", 1)[1] if self.title[0].isdigit() else self.title


PAGES: tuple[PageEntry, ...] = (
    PageEntry("pages/home.py", "Home", ":material/home:", "home"),
    PageEntry(
        "pages/mechanism.py",
        "1 Mechanism",
        ":material/biotech:",
        "mechanism",
        "concentrations -> receptors -> reward, and a picture of 100 receptors.",
    ),
    PageEntry(
        "pages/regimens.py",
        "2 Regimens and adherence",
        ":material/calendar_month:",
        "regimens",
        "tablets vs monthly injection vs implant; missed doses.",
    ),
    PageEntry(
        "pages/overcoming.py",
        "3 Overcoming the blockade",
        ":material/warning:",
        "overcoming",
        "bigger doses, the rightward shift, why it is dangerous.",
    ),
    PageEntry(
        "pages/alcohol.py",
        "4 Alcohol",
        ":material/local_bar:",
        "alcohol",
        "drinks -> blood alcohol -> endorphin -> reward.",
    ),
    PageEntry(
        "pages/compare.py",
        "5 Compare agonists",
        ":material/compare_arrows:",
        "compare",
        "full vs partial, fast vs slow dissociation.",
    ),
    PageEntry(
        "pages/cravings.py",
        "6 Cravings and relapse",
        ":material/psychology:",
        "cravings",
        "use episodes teach craving; blocked highs let it fade (illustrative).",
    ),
    PageEntry(
        "pages/stopping.py",
        "7 Stopping and starting",
        ":material/swap_horiz:",
        "stopping",
        "overdose risk after treatment ends; withdrawal if started too soon.",
    ),
    PageEntry(
        "pages/naloxone.py",
        "8 Naloxone rescue",
        ":material/emergency:",
        "naloxone",
        "reversing an overdose, and why it can come back.",
    ),
    PageEntry(
        "pages/workbench.py",
        "9 Researcher workbench",
        ":material/science:",
        "workbench",
        "your own doses, parameters and scenario files.",
    ),
    PageEntry(
        "pages/validation.py",
        "10 Does the model match people?",
        ":material/fact_check:",
        "validation",
        "Calibration against human data.",
    ),
    PageEntry(
        "pages/mystery.py",
        "11 The mystery opioid",
        ":material/quiz:",
        "mystery",
        "identify an unknown drug from experiments you design.",
        downloads=False,
    ),
)

#: Link names of every page, in the order of the navigation.
URLS: tuple[str, ...] = tuple(p.url for p in PAGES)
