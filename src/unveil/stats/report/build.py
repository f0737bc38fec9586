"""Build the report's figures section from the harmonised table (and the workspace's own figures)."""

from __future__ import annotations

import difflib
from typing import Any

import pandas as pd

from unveil.errors import UsageError
from unveil.stats import judicial, trends
from unveil.stats.mse import MseEstimate
from unveil.stats.online import OnlineFigures
from unveil.stats.report.model import Cell, Chart, References, Report, Section, Table
from unveil.stats.report.sentences import (
    bounded,
    listing,
    number,
    percent,
    share_sentence,
    trend_sentence,
)

WINDOW = 8
MAX_NAMED_PLACES = 20
COMPARE_SPAN = 4
SUPPRESSED_NOTE = (
    "* includes cells suppressed at source (<5): the figure is the range the true count lies in "
    "(1 to 4 for each suppressed cell); charts, shares and trends use the middle of that range."
)
SIGNIFICANCE_NOTE = (
    "A change is stated only when a Poisson rate test (exact binomial test on the two years' counts) "
    "rejects equal counts at the 5% level; otherwise the sentence says it did not change significantly."
)


SOURCE_NAMES = {
    "glotip": "UNODC GLOTIP",
    "ucr": "FBI Uniform Crime Reporting",
    "us_federal": "US federal prosecutions",
    "police_offences": "police-recorded offences",
    "victims": "detected victims",
    "judicial_outcomes": "judicial outcomes",
    "prosecutions": "prosecutors' decisions",
    "victim_status": "victim-status procedure",
}


def source_label(source: str) -> str:
    """``glotip:data_glotip.xlsx`` -> ``UNODC GLOTIP (data_glotip.xlsx)``."""
    kind, _, name = source.partition(":")
    return f"{SOURCE_NAMES.get(kind, kind)} ({name})" if name else SOURCE_NAMES.get(kind, kind)


def filter_places(frame: pd.DataFrame, places: list[str]) -> pd.DataFrame:
    """Keep only the rows of the given places (a place, or a region such as ``Flanders``), in every source.

    Raises:
        UsageError: for a place that no source has (with the closest known names).
    """
    if not places:
        return frame
    known = {str(p) for p in frame["place"].dropna().unique()} | {str(r) for r in frame["region"].dropna().unique()}
    for place in places:
        if place not in known:
            close = difflib.get_close_matches(place, sorted(known), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UsageError(f"no statistics for the place {place!r}{hint}")
    return frame[frame["place"].isin(places) | frame["region"].isin(places)]


def _value_cell(refs: References, label: str, value: float, suppressed: int, row_refs: list[str]) -> Cell:
    text = bounded(value, int(suppressed)) + ("*" if suppressed else "")
    return Cell(text, refs.add(label, row_refs))


def _year_table(refs: References, title: str, data: pd.DataFrame, by: str, years: list[int]) -> Table:
    rows = []
    for key, group in data.groupby(by, sort=True):
        by_year = {int(r.year): r for r in group.itertuples()}
        cells = [Cell(str(key))]
        for year in years:
            found = by_year.get(year)
            cells.append(
                _value_cell(refs, f"{title}: {key}, {year}", found.value, found.suppressed, found.refs)
                if found is not None
                else Cell("–")
            )
        rows.append(cells)
    return Table(title, [by.replace("_", " "), *map(str, years)], rows)


def _middle(row: Any) -> float:
    return float(row.value) + trends.SUPPRESSED_MIDDLE * int(row.suppressed)


def _line_chart(title: str, data: pd.DataFrame, by: str, unit: str) -> Chart:
    """A line per group; a suppressed cell is drawn at the middle of its range, never at zero."""
    series = {
        str(key): [(str(int(r.year)), _middle(r)) for r in group.sort_values("year").itertuples()]
        for key, group in data.groupby(by, sort=True)
    }
    return Chart(title, "line", series, unit)


def _compare_start(yearly: pd.DataFrame, year: int, first: int | None = None) -> int | None:
    """The base year: the one chosen (``--from``), else the earliest of the last few with figures."""
    if first is not None:
        return first if not yearly[(yearly["year"] == first)].empty else None
    earlier = yearly[(yearly["year"] >= year - COMPARE_SPAN) & (yearly["year"] < year) & (yearly["value"] > 0)]
    return int(earlier["year"].min()) if not earlier.empty else None


Said = tuple[str, "pd.DataFrame | list[str]"]  # a sentence and the rows (or their source#row) it comes from


def _row_refs(data: pd.DataFrame | list[str]) -> list[str]:
    if isinstance(data, list):
        return data
    return (data["source"] + "#" + data["source_row"].astype(str)).tolist() if not data.empty else []


def _say(section: Section, refs: References, said: list[Said]) -> None:
    """Add sentences, each with a reference to the rows it is computed from."""
    for sentence, rows in said:
        section.sentences.append(sentence)
        key = refs.add(f"{section.title}: {sentence[:80]}", _row_refs(rows))
        if key:
            section.sentence_refs[sentence] = key


def _unit_word(data: pd.DataFrame) -> str:
    if data["breakdown"].fillna("").str.contains("ori=").any():
        return "agencies"
    return "places"


def _trend_sentences(
    data: pd.DataFrame, year: int, noun: str, first: int | None = None, categories: bool = True
) -> list[Said]:
    """The total's trend (raw and over the fixed panel), then each category's, with the places behind it."""
    sentences: list[Said] = []
    totals = trends.totals_by_year(data)
    start = _compare_start(totals, year, first)
    if start is None or start == year:
        return sentences
    where = _where(data)
    fixed = trends.panel(data, start, year)
    word = _unit_word(data)
    overall = trends.growth(totals, start, year)
    ends = data["year"].isin([start, year])
    if fixed.changed:
        sentences.append(
            (
                trend_sentence(f"Recorded {noun} (all reporting {word})", overall, [])[:-1]
                + f"; the {word} reporting went from {number(fixed.start_units)} in {start} "
                f"to {number(fixed.end_units)} in {year}, so this mixes real change with coverage.",
                data[ends],
            )
        )
        data = fixed.rows
        totals = trends.totals_by_year(data)
        overall = trends.growth(totals, start, year)
        subject = f"Over the {number(fixed.both)} {word} reporting in both years, {noun}"
    elif fixed.both > 1:
        subject = f"All {noun} (the same {number(fixed.both)} {word} reporting in both years)"
    else:
        subject = f"All {noun}"
    table = trends.drivers(data, start, year, where) if where else None
    drivers = trends.main_drivers(table, where) if table is not None and where else []
    against = trends.opposite_drivers(table, where) if table is not None and where else []
    sentences.append((trend_sentence(subject, overall, drivers, against), data[data["year"].isin([start, year])]))
    if not categories:
        return sentences
    for category, group in data.groupby("category", sort=True):
        if category == "Total":
            continue
        yearly = trends.totals_by_year(group)
        change = trends.growth(yearly, start, year)
        if change.start_middle or change.end_middle:
            table = trends.drivers(group, start, year, where) if where else None
            places = trends.main_drivers(table, where) if table is not None and where else []
            against = trends.opposite_drivers(table, where) if table is not None and where else []
            rows = group[group["year"].isin([start, year])]
            sentences.append((trend_sentence(f"{category} {noun}", change, places, against), rows))
    return sentences


def _where(data: pd.DataFrame) -> str | None:
    """The breakdown that says where a change happens: places when few enough to name, else regions."""
    places = data["place"].nunique()
    if 1 < places <= MAX_NAMED_PLACES:
        return "place"
    if data["region"].notna().any() and data["region"].nunique() > 1:
        return "region"
    return "place" if places > 1 else None


def _dimension(data: pd.DataFrame, preferred: str) -> pd.DataFrame:
    chosen = data[data["dimension"] == preferred]
    return chosen if not chosen.empty else data[data["dimension"] == "total"]


def _window(data: pd.DataFrame, year: int, first: int | None) -> pd.DataFrame:
    lowest = first if first is not None else year - WINDOW + 1
    return data[data["year"].between(lowest, year)]


def _level_sentences(data: pd.DataFrame, year: int, noun: str, where: str | None) -> list[Said]:
    """Shares of the year's level: the places that make half of it, and the largest type."""
    sentences: list[Said] = []
    in_year = data[data["year"] == year]
    if in_year.empty:
        return sentences
    if where:
        by_place = trends.shares(in_year, year, where)
        named, reached = trends.covering(by_place, where)
        if named and len(named) < by_place[where].nunique():
            sentences.append((f"In {year}, {percent(reached)} of {noun} were recorded in {listing(named)}.", in_year))
    by_type = trends.shares(in_year, year)
    if len(by_type) > 1:
        top = by_type.iloc[0]
        sentences.append(
            (
                f"{_share_words(float(top['share']))} of the {year} {noun} "
                f"({bounded(float(top['value']), int(top['suppressed']))}) related to "
                f"{str(top['category']).lower()}.",
                in_year,
            )
        )
    return sentences


def _share_words(share: float) -> str:
    if 0.45 <= share <= 0.55:
        return f"Half ({percent(share)})"
    if 0.3 <= share <= 0.36:
        return f"A third ({percent(share)})"
    if 0.22 <= share <= 0.28:
        return f"A quarter ({percent(share)})"
    return percent(share)


def offences_section(frame: pd.DataFrame, year: int, refs: References, first: int | None = None) -> Section | None:
    """Police-recorded offences by year and type: the level's shares, the trend, the places behind it."""
    data = _dimension(trends.select(frame, "offences_recorded"), "offence_type")
    data = _window(data, year, first)
    if data.empty:
        return None
    section = Section("offences", "Police-recorded offences")
    yearly = trends.series(data)
    years = sorted(int(y) for y in yearly["year"].unique())
    where = _where(data)
    _say(section, refs, _level_sentences(data, year, "offences", where))
    _say(section, refs, _trend_sentences(data, year, "offences", first))
    section.tables.append(_year_table(refs, "Offences recorded by type and year", yearly, "category", years))
    section.charts.append(_line_chart("Offences recorded by type", yearly, "category", "offences"))
    start = _compare_start(trends.totals_by_year(data), year, first)
    if start is not None and start != year and where:
        fixed = trends.panel(data, start, year)
        section.tables.append(_drivers_table(trends.drivers(fixed.rows, start, year, where), where, start, year))
    _note_suppressed(section, yearly)
    section.notes.append(SIGNIFICANCE_NOTE)
    return section


def _drivers_table(table: pd.DataFrame, where: str, start: int, year: int) -> Table:
    """The largest changes in both directions (aggregates such as "Other" or a blank region left out)."""
    named = table[~table[where].map(trends.is_aggregate)]
    total = float(table["change"].sum())
    same = named[named["change"] * (1 if total >= 0 else -1) > 0].head(6)
    other = named[named["change"] * (1 if total >= 0 else -1) < 0].sort_values("contribution").head(4)
    middle = trends.SUPPRESSED_MIDDLE
    rows = [
        [
            Cell(str(row[where])),
            Cell(_range(row["start"] - middle * row["start_suppressed"], int(row["start_suppressed"]))),
            Cell(_range(row["end"] - middle * row["end_suppressed"], int(row["end_suppressed"]))),
            Cell(f"{row['change']:+,.0f}"),
            Cell(percent(row["contribution"])),
        ]
        for row in pd.concat([same, other]).to_dict("records")
    ]
    header = [where, str(start), str(year), "change", "share of change"]
    return Table(f"Where the change between {start} and {year} comes from (both directions)", header, rows)


def _range(value: float, suppressed: int) -> str:
    return bounded(round(value), suppressed) + ("*" if suppressed else "")


def _note_suppressed(section: Section, data: pd.DataFrame) -> None:
    if "suppressed" in data and (data["suppressed"] > 0).any():
        section.notes.append(SUPPRESSED_NOTE)


def _share_table(refs: References, title: str, data: pd.DataFrame, by: str, limit: int) -> Table:
    rows = [
        [
            Cell(str(row[by])),
            _value_cell(refs, f"{title}: {row[by]}", row["value"], row["suppressed"], row["refs"]),
            Cell(percent(row["share"])),
        ]
        for row in data.head(limit).to_dict("records")
    ]
    return Table(title, [by.replace("_", " "), "persons", "share"], rows)


def victims_section(
    frame: pd.DataFrame,
    year: int,
    refs: References,
    first: int | None = None,
    indicator: str = "detected_victims",
    title: str = "Detected victims",
    verb: str = "victims were detected",
) -> Section | None:
    """Victims by form of exploitation, by nationality (no aggregate ranked) and both crossed."""
    victims = trends.select(frame, indicator)
    if victims[victims["year"] == year].empty:
        return None
    key = "victims" if indicator == "detected_victims" else indicator.replace("_", "-")
    section = Section(key, title)
    forms = victims[victims["dimension"] == "form_of_exploitation"]
    if not forms[forms["year"] == year].empty:
        shares = trends.shares(forms, year)
        parts = [(str(r["category"]).lower(), float(r["share"])) for r in shares.to_dict("records")]
        total = bounded(float(shares["value"].sum()), int(shares["suppressed"].sum()))
        _say(section, refs, [(share_sentence(year, verb, total, parts), forms[forms["year"] == year])])
        _say(section, refs, _trend_sentences(_window(forms, year, first), year, "victims", first, categories=False))
        section.tables.append(_share_table(refs, f"{title} by form of exploitation, {year}", shares, "category", 12))
        section.charts.append(
            Chart(
                f"{title} by form of exploitation, {year}",
                "bar",
                {"persons": [(str(r["category"]), _middle_value(r)) for r in shares.to_dict("records")]},
            )
        )
        recent = trends.series(_window(forms, year, first))
        section.charts.append(_line_chart(f"{title} by form of exploitation, by year", recent, "category", "persons"))
        _note_suppressed(section, shares)
    nationalities = victims[(victims["dimension"] == "nationality") & (victims["year"] == year)]
    if not nationalities.empty:
        shares = trends.shares(nationalities, year)
        named = shares[~shares["category"].map(trends.is_aggregate)]
        top = [
            f"{r['category']} ({bounded(r['value'], int(r['suppressed']))})" for r in named.head(3).to_dict("records")
        ]
        if top:
            said = f"The most frequent nationalities in {year} were {', '.join(top)}."
            _say(section, refs, [(said, nationalities)])
        unnamed = shares[shares["category"].map(trends.is_aggregate)]
        if not unnamed.empty:
            section.notes.append(
                "Not ranked as nationalities: "
                + ", ".join(
                    f"{r['category']} ({bounded(r['value'], int(r['suppressed']))})" for r in unnamed.to_dict("records")
                )
                + "."
            )
        section.tables.append(_share_table(refs, f"{title} by nationality, {year} (top 15)", named, "category", 15))
        crossed = _cross_table(refs, nationalities, f"{title}: nationality by form of exploitation, {year}")
        if crossed is not None:
            section.tables.append(crossed)
        _note_suppressed(section, shares)
    return section


def _middle_value(row: dict[str, Any]) -> float:
    return float(row["value"]) + trends.SUPPRESSED_MIDDLE * int(row["suppressed"])


def _cross_table(refs: References, nationalities: pd.DataFrame, title: str, most: int = 8) -> Table | None:
    """Nationality by form of exploitation (from the nationality rows' breakdown), top nationalities."""
    form = nationalities["breakdown"].fillna("").str.extract(r"form_of_exploitation=([^;]+)", expand=False)
    data = nationalities.assign(form=form).dropna(subset=["form"])
    if data.empty:
        return None
    cells = trends.cells(data.assign(category=data["category"] + "\x1f" + data["form"]))
    cells[["nationality", "form"]] = cells["category"].str.split("\x1f", expand=True)
    totals = cells.groupby("nationality")["value"].sum().sort_values(ascending=False)
    chosen = [n for n in totals.index if not trends.is_aggregate(n)][:most]
    forms = sorted(cells["form"].unique())
    rows = []
    for name in chosen:
        row = [Cell(name)]
        for form_name in forms:
            found = cells[(cells["nationality"] == name) & (cells["form"] == form_name)]
            value, hidden = float(found["value"].sum()), int(found["suppressed"].sum())
            refs_here = [r for refs_list in found["refs"] for r in refs_list]
            row.append(_value_cell(refs, f"{title}: {name}, {form_name}", value, hidden, refs_here))
        rows.append(row)
    return Table(title, ["nationality", *forms], rows)


def victim_status_section(frame: pd.DataFrame, year: int, refs: References, first: int | None = None) -> Section | None:
    """Entries into the victim-status procedure by nationality and form of exploitation."""
    return victims_section(
        frame,
        year,
        refs,
        first,
        "victim_status_entries",
        "Entries into the victim-status procedure",
        "persons entered the victim-status procedure",
    )


def _yearly_totals_table(refs: References, frame: pd.DataFrame, year: int) -> tuple[Table | None, list[str]]:
    labels = {"persons_prosecuted": "prosecuted", "persons_convicted": "convicted"}
    pieces = []
    for indicator, label in labels.items():
        data = trends.select(frame, indicator, "total")
        data = data[data["year"].between(year - WINDOW + 1, year)]
        if not data.empty:
            pieces.append(trends.series(data.assign(category=label)))
    if not pieces:
        return None, []
    yearly = pd.concat(pieces)
    years = sorted(int(y) for y in yearly["year"].unique())
    sentences = []
    for label, group in yearly.groupby("category"):
        found = group[group["year"] == year]
        if not found.empty:
            sentences.append(f"In {year}, {number(float(found['value'].iloc[0]))} persons were {label}.")
    table = _year_table(refs, "Persons prosecuted and convicted by year", yearly, "category", years)
    return table, sentences


def _count_cell(row: dict[str, Any], name: str) -> Cell:
    """A count kept at the middle of its suppressed cells' ranges, shown as the range itself."""
    hidden = int(row.get(f"{name}_suppressed", 0) or 0)
    raw = float(row[name]) - trends.SUPPRESSED_MIDDLE * hidden
    return Cell(bounded(round(raw), hidden) + ("*" if hidden else ""))


def _prosecutions(section: Section, frame: pd.DataFrame, year: int, refs: References, first: int | None) -> None:
    """Prosecutors' decisions: persons prosecuted, no further action..., and the trend of prosecutions."""
    decisions = trends.select(frame, "prosecution_decisions", "decision")
    in_year = decisions[decisions["year"] == year]
    if in_year.empty:
        return
    shares = trends.shares(in_year, year)
    total = bounded(float(shares["value"].sum()), int(shares["suppressed"].sum()))
    parts = ", ".join(
        f"{r['category']} {bounded(float(r['value']), int(r['suppressed']))} ({percent(float(r['share']))})"
        for r in shares.to_dict("records")
    )
    _say(section, refs, [(f"In {year}, prosecutors took decisions on {total} persons: {parts}.", in_year)])
    prosecuted = _window(decisions[decisions["category"] == "prosecuted"], year, first)
    if not prosecuted.empty:
        _say(section, refs, _trend_sentences(prosecuted, year, "persons prosecuted", first, categories=False))
    section.tables.append(_share_table(refs, f"Prosecutors' decisions, {year}", shares, "category", 12))
    _note_suppressed(section, shares)


def judicial_section(frame: pd.DataFrame, year: int, refs: References, first: int | None = None) -> Section | None:
    """Prosecutions, convictions, conviction rates, plea against trial and sentences."""
    section = Section("judicial", "Prosecutions and judicial outcomes")
    table, sentences = _yearly_totals_table(refs, frame, year)
    if table is not None:
        section.tables.append(table)
        section.sentences += sentences
    _prosecutions(section, frame, year, refs, first)
    window = _window(frame, year, first)
    rates = judicial.conviction_rates(window)
    if not rates.empty and rates["decided"].sum() > 0:
        rows = [
            [
                Cell(str(int(r["year"]))),
                _count_cell(r, "decided"),
                Cell(
                    _count_cell(r, "conviction").text,
                    refs.add(f"Convictions {int(r['year'])}", r["refs"]),
                ),
                _count_cell(r, "acquittal"),
                _count_cell(r, "dismissal"),
                Cell("–" if pd.isna(r["rate"]) else percent(r["rate"])),
            ]
            for r in rates.to_dict("records")
        ]
        section.tables.append(
            Table(
                "Decisions and conviction rate by year",
                ["year", "decided", "convicted", "acquitted", "dismissed", "conviction rate"],
                rows,
            )
        )
        this_year = rates[rates["year"] == year]
        if not this_year.empty and float(this_year["decided"].iloc[0]) > 0:
            found = this_year.iloc[0].to_dict()
            said = (
                f"In {year}, courts convicted {_count_cell(found, 'conviction').text.rstrip('*')} persons: "
                f"{percent(found['rate'])} of {_count_cell(found, 'decided').text.rstrip('*')} decided cases "
                "(convictions, acquittals and dismissals)."
            )
            _say(section, refs, [(said, list(found["refs"]))])
        decided = rates["decided"].sum()
        said = (
            f"Between {int(rates['year'].min())} and {int(rates['year'].max())}, "
            f"{percent(rates['conviction'].sum() / decided)} of "
            f"{'about ' if rates['decided_suppressed'].sum() else ''}{number(round(decided))} decided prosecutions "
            "ended in a conviction."
        )
        _say(section, refs, [(said, [ref for refs_list in rates["refs"] for ref in refs_list])])
    pleas = judicial.plea_versus_trial(window)
    if not pleas.empty:
        plea, trial = float(pleas["plea"].sum()), float(pleas["trial"].sum())
        said = (
            f"{percent(plea / (plea + trial))} of convictions came from a guilty plea, "
            f"{percent(trial / (plea + trial))} from a trial."
        )
        _say(section, refs, [(said, [ref for refs_list in pleas["refs"] for ref in refs_list])])
        records = pleas.to_dict("records")
        by_route = {route: [(str(int(r["year"])), float(r[route])) for r in records] for route in ("plea", "trial")}
        section.charts.append(Chart("Convictions by plea and at trial", "bar", by_route))
    bands = judicial.sentence_distribution(window)
    if bands["persons"].sum() > 0:
        summary = judicial.sentence_summary(window)
        section.sentences.append(
            f"The median prison sentence was {number(summary['median'])} months "
            f"(half of sentences between {number(summary['q1'])} and {number(summary['q3'])} months)."
        )
        rows = [
            [
                Cell(r["band"]),
                Cell(number(r["persons"]), refs.add(f"Sentences {r['band']}", r["refs"])),
                Cell(percent(r["share"])),
            ]
            for r in bands.to_dict("records")
        ]
        section.tables.append(Table("Prison sentences", ["sentence", "persons", "share"], rows))
        section.charts.append(
            Chart(
                "Prison sentences",
                "bar",
                {"persons": [(r["band"], float(r["persons"])) for r in bands.to_dict("records")]},
            )
        )
    return section if section.tables else None


def online_section(figures: OnlineFigures, year: int) -> Section | None:
    """What the online pillar saw in the workspace."""
    if figures.total_posts == 0 and figures.networks.empty:
        return None
    section = Section("online", "What the online pillar sees")
    section.notes.append(
        "Computed from the workspace's pipeline tables (ingest.posts, extract.*, score.indicators, link.networks)."
    )
    if figures.missing:
        section.notes.append("Missing tables (stages not run): " + ", ".join(figures.missing) + ".")
    per_city = figures.posts_per_city_month
    if not per_city.empty:
        in_year = per_city[per_city["month"].str.startswith(str(year))]
        if in_year.empty:
            section.notes.append(f"No post is dated in {year}: the posts of every date are counted.")
        else:
            per_city = in_year
        cities = per_city.groupby("city")["posts"].sum().sort_values(ascending=False)
        section.sentences.append(
            f"The workspace holds {number(int(per_city['posts'].sum()))} posts of that period; "
            f"most were placed in {', '.join(map(str, cities.index[:3]))}."
        )
        section.tables.append(
            Table(
                "Posts per city",
                ["city", "posts"],
                [[Cell(str(c)), Cell(number(n))] for c, n in cities.head(12).items()],
            )
        )
        months = per_city.groupby("month")["posts"].sum()
        section.charts.append(
            Chart("Posts per month", "line", {"posts": [(str(m), float(n)) for m, n in months.items()]})
        )
    if not figures.networks.empty:
        largest = number(figures.networks["posts"].iloc[0])
        section.sentences.append(
            f"{number(len(figures.networks))} networks were found; the largest links {largest} posts."
        )
        section.tables.append(
            Table(
                "Largest networks",
                ["network", "posts", "cities"],
                [
                    [Cell(str(r["network_id"])), Cell(number(r["posts"])), Cell(str(r["cities"]))]
                    for r in figures.networks.head(10).to_dict("records")
                ],
            )
        )
    if not figures.indicator_prevalence.empty:
        section.tables.append(
            Table(
                "Indicator prevalence",
                ["domain", "category", "posts", "share of posts"],
                [
                    [
                        Cell(str(r["domain"])),
                        Cell(str(r["category"])),
                        Cell(number(r["posts"])),
                        Cell(percent(r["share"])),
                    ]
                    for r in figures.indicator_prevalence.head(15).to_dict("records")
                ],
            )
        )
    if not figures.smuggling_routes.empty:
        routes = figures.smuggling_routes
        complete = routes[~routes["route"].str.endswith(")")]
        if not complete.empty:
            top = complete.iloc[0]
            section.sentences.append(
                f"The route most advertised in smuggling posts was {top['route']} ({number(top['posts'])} posts)."
            )
        else:
            place = str(routes.iloc[0]["route"]).removesuffix(" (one place)")
            section.sentences.append(f"Smuggling posts most often named {place} ({number(routes.iloc[0]['posts'])}).")
        section.tables.append(
            Table(
                "Smuggling posts per route",
                ["route", "posts"],
                [
                    [Cell(str(r["route"])), Cell(number(r["posts"]))]
                    for r in figures.smuggling_routes.head(12).to_dict("records")
                ],
            )
        )
    return section


def hidden_number_section(estimates: list[tuple[str, MseEstimate]]) -> Section | None:
    """Multiple systems estimates of the total number of victims, seen and unseen."""
    if not estimates:
        return None
    section = Section("hidden", "The hidden number of victims")
    rows = []
    for name, estimate in estimates:
        section.sentences.append(
            f"{name}: {number(estimate.observed)} victims were seen on at least one list; multiple systems "
            f"estimation puts the total at {number(round(estimate.estimate))} "
            f"(95% interval {number(round(estimate.lower))} to {number(round(estimate.upper))})."
        )
        interval = f"{number(round(estimate.lower))} – {number(round(estimate.upper))}"
        estimated = number(round(estimate.estimate))
        rows.append(
            [Cell(name), Cell(number(estimate.observed)), Cell(estimated), Cell(interval), Cell(estimate.model)]
        )
    section.tables.append(
        Table("Multiple systems estimates", ["lists", "seen", "estimate", "95% interval", "model"], rows)
    )
    section.notes.append(
        "Log-linear Poisson models on every combination of lists (absent ones as zero cells); two-list "
        "interactions chosen by the stepwise rule of Chan, Silverman & Vincent (2021, p-value threshold 0.02); "
        "BCa bootstrap intervals. The estimate assumes a closed population and that the interactions fitted "
        "capture the dependence between lists; it is a range, not a count."
    )
    return section


CAVEATS = (
    "Recorded counts are not prevalence: they count the offences, victims and decisions that police, "
    "prosecutors, courts and support services recorded, which depends on where they looked and how hard.",
    "Recording practice and coverage change: new units start reporting, definitions and counting rules "
    "change, and an increase can be a change in recording rather than in crime. Trends are therefore told "
    "over a fixed panel (the units reporting in both years), beside the raw totals.",
    "Different sources count different things (offences, persons, decisions) in different years and places; "
    "their figures are shown side by side and never added together.",
    "Cells suppressed at source (<5) are shown as the range the true count lies in; aggregates and "
    'non-countries ("Nationals", "Not stated", "Other", blank regions) are counted in totals but never '
    "ranked as places or nationalities.",
    "A change is stated only when a Poisson rate test finds it significant at the 5% level; the test assumes "
    "counts that vary like independent events, which repeated victims or large cases can break.",
)
MSE_CAVEAT = (
    "Multiple systems estimation assumes a closed population over the period, that every person in it could "
    "be recorded on each list, and that the dependence between lists is captured by the interactions fitted; "
    "lists that barely overlap make the estimate fragile (see the threshold's effect). It estimates the number "
    "of victims that these lists could have seen, not the whole of trafficking."
)


def caveats_section(synthetic: bool, estimates: bool, places: list[str]) -> Section:
    """What the figures can and cannot mean: in every report."""
    section = Section("caveats", "What these figures can and cannot say")
    section.sentences = list(CAVEATS)
    if estimates:
        section.sentences.append(MSE_CAVEAT)
    if places:
        section.sentences.append(
            f"Only the rows of {listing(places)} are used; the hidden-number and online sections are not "
            "broken down by place."
        )
    if synthetic:
        section.sentences.append("These figures come from a synthetic world: invented numbers, not official data.")
    return section


def build_report(
    frame: pd.DataFrame,
    year: int,
    places: list[str] | None = None,
    online: OnlineFigures | None = None,
    estimates: list[tuple[str, MseEstimate]] | None = None,
    first: int | None = None,
) -> Report:
    """The figures section for one year (``first``: the base year of comparisons and the window's start).

    Raises:
        UsageError: when there is no figure for that year, a place is unknown or ``first`` is not before it.
    """
    if first is not None and first >= year:
        raise UsageError(f"--from ({first}) must be before the report's year ({year})")
    data = filter_places(frame, places or [])
    refs = References()
    sources = sorted(str(s) for s in data["source"].unique())
    sections = []
    for build in (offences_section, victims_section, victim_status_section, judicial_section):
        for number_, source in enumerate(sources, start=1):
            section = build(data[data["source"] == source], year, refs, first)
            if section is None:
                continue
            if len(sources) > 1:
                section.key = f"{section.key}-{number_}"
                section.title = f"{section.title}: {source_label(source)}"
            sections.append(section)
    extra = [online_section(online, year) if online else None, hidden_number_section(estimates or [])]
    sections += [s for s in extra if s is not None]
    if not sections:
        years = sorted(int(y) for y in data["year"].unique())
        shown = f"{years[0]}..{years[-1]}" if years else "none"
        raise UsageError(f"no statistics for {year} (years available: {shown})")
    synthetic = bool(data["synthetic"].any())
    sections.append(caveats_section(synthetic, bool(estimates), places or []))
    title = f"Trafficking in human beings and migrant smuggling: figures for {year}"
    return Report(title, year, sections, refs.items, sources, synthetic)
