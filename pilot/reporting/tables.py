"""A report table: the numbers beside each chart, also downloadable as CSV.

Groups smaller than ``MIN_GROUP`` people are never shown as a number.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

MIN_GROUP = 5
TOO_FEW = "too few to report"


@dataclass(frozen=True)
class Cell:
    value: object
    suppressed: bool = False
    fmt: str = ""  # e.g. "{:.1f}" or "{:.0f}%"; numbers default to two decimals

    def __str__(self) -> str:
        if self.suppressed:
            return TOO_FEW
        if self.value is None:
            return "—"
        if self.fmt:
            return self.fmt.format(self.value)
        if isinstance(self.value, float | Decimal):
            return f"{self.value:.2f}"
        return str(self.value)

    @property
    def shown(self) -> str:
        """The cell as a page shows it: whole numbers with thousands separators (4,985),
        as everywhere on the site; ``str`` stays plain for the CSV, which spreadsheets read."""
        if (
            not self.suppressed
            and not self.fmt
            and isinstance(self.value, int)
            and not isinstance(self.value, bool)
        ):
            return f"{self.value:,}"
        return str(self)


@dataclass
class Table:
    slug: str  # used in the CSV file name and the download URL
    title: str
    columns: Sequence[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    label_columns: int = 1  # leading columns of text (the first is each row's header)

    def add(self, *values: object, group_size: int | None = None, keep: int = 1) -> None:
        """Add a row; if ``group_size`` is under MIN_GROUP, every value after the first
        ``keep`` columns is replaced by "too few to report"."""
        small = group_size is not None and group_size < MIN_GROUP
        self.rows.append([Cell(v, suppressed=small and i >= keep) for i, v in enumerate(values)])

    def add_cells(self, *cells: object) -> None:
        """Add a row of cells as given (``Cell``s keep their own suppression), for tables
        whose columns count different groups, e.g. ``suppressed(value, group_size)``."""
        self.rows.append([c if isinstance(c, Cell) else Cell(c) for c in cells])

    def as_text_rows(self) -> Iterable[list[str]]:
        yield list(self.columns)
        for row in self.rows:
            yield [str(c) for c in row]


def suppressed(value: object, group_size: int, fmt: str = "") -> Cell:
    return Cell(value, suppressed=group_size < MIN_GROUP, fmt=fmt)
