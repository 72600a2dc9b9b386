"""Register the made-up "2021-plus" edition (see docs/extending.md)."""

from pathlib import Path

from attrs import frozen

from gov_disclosure import editions
from gov_disclosure.model import ActiveDisclosure2021, Appeals, Applications, Decisions, row


@frozen
class ActiveDisclosurePlus(ActiveDisclosure2021):
    """Table 二 of the 2021 template plus the 行政裁决 row."""

    adjudication: Decisions = row(Decisions, "行政裁决")


def detect(text: str) -> editions.Detection:
    """Outrank the built-in editions (at most 50 points) when the extra row is there."""
    if "行政裁决" in text:
        return 100, "found the 行政裁决 row"
    return 0, "no 行政裁决 row"


EDITION = editions.Edition(
    name="2021-plus",
    grammar=Path(__file__).with_name("plus.lark"),
    tables={"active_disclosure": ActiveDisclosurePlus, "applications": Applications, "appeals": Appeals},
    detect=detect,
    description="2021 template with a 行政裁决 row (example)",
)

if __name__ == "__main__":
    editions.register(EDITION)
    print(editions.available())
