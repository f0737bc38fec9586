"""Build the report's figures section from the harmonised table (and the workspace's own figures)."""

from __future__ import annotations

import pandas as pd

from unveil.errors import UsageError
from unveil.stats import judicial, trends
from unveil.stats.mse import MseEstimate
from unveil.stats.online import OnlineFigures
from unveil.stats.report.model import Cell, Chart, References, Report, Section, Table
from unveil.stats.report.sentences import bounded, number, percent, share_sentence, trend_sentence

WINDOW = 8
MAX_NAMED_PLACES = 20
COMPARE_SPAN = 4
SUPPRESSED_NOTE = (
    "* includes cells suppressed at source (<5): the figure is the range the true count lies in "
    "(1 to 4 for each suppressed cell); trends count suppressed cells as zero."
)


SOURCE_NAMES = {
    "glotip": "UNODC GLOTIP",
    "ucr": "FBI Uniform Crime Reporting",
    "us_federal": "US federal prosecutions",
    "police_offences": "police-recorded offences",
    "victims": "detected victims",
    "judicial_outcomes": "judicial outcomes",
}


def source_label(source: str) -> str:
    """``glotip:data_glotip.xlsx`` -> ``UNODC GLOTIP (data_glotip.xlsx)``."""
    kind, _, name = source.partition(":")
    return f"{SOURCE_NAMES.get(kind, kind)} ({name})" if name else SOURCE_NAMES.get(kind, kind)


def filter_places(frame: pd.DataFrame, places: list[str]) -> pd.DataFrame:
    """Keep only the given places in the sources that have them; other sources stay whole."""
    if not places:
        return frame
    in_place = frame["place"].isin(places)
    sources_with_place = set(frame.loc[in_place, "source"])
    keep = in_place | ~frame["source"].isin(sources_with_place)
    return frame[keep]


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


def _line_chart(title: str, data: pd.DataFrame, by: str, unit: str) -> Chart:
    series = {
        str(key): [(str(int(r.year)), float(r.value)) for r in group.sort_values("year").itertuples()]
        for key, group in data.groupby(by, sort=True)
    }
    return Chart(title, "line", series, unit)


def _compare_start(yearly: pd.DataFrame, year: int) -> int | None:
    earlier = yearly[(yearly["year"] >= year - COMPARE_SPAN) & (yearly["year"] < year) & (yearly["value"] > 0)]
    return int(earlier["year"].min()) if not earlier.empty else None


def _trend_sentences(data: pd.DataFrame, year: int, noun: str) -> list[str]:
    sentences: list[str] = []
    totals = trends.totals_by_year(data)
    start = _compare_start(totals, year)
    if start is None:
        return sentences
    if not _reliable(totals, [start, year]):
        return sentences
    where = _where(data)
    overall = trends.growth(totals, start, year)
    drivers = trends.main_drivers(trends.drivers(data, start, year, where), where) if where else []
    sentences.append(trend_sentence(f"All {noun}", overall, drivers))
    for category, group in data.groupby("category", sort=True):
        if category == "Total":
            continue
        yearly = trends.totals_by_year(group)
        change = trends.growth(yearly, start, year)
        if (change.start or change.end) and _reliable(yearly, [start, year]):
            places = trends.main_drivers(trends.drivers(group, start, year, where), where) if where else []
            sentences.append(trend_sentence(f"{category} {noun}", change, places))
    return sentences


def _reliable(yearly: pd.DataFrame, years: list[int]) -> bool:
    """False when suppressed cells could hold more than a fifth of a year's count: no trend is told then."""
    chosen = yearly[yearly["year"].isin(years)]
    return bool((chosen["suppressed"] * 2.5 <= 0.2 * chosen["value"]).all())


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


def offences_section(frame: pd.DataFrame, year: int, refs: References) -> Section | None:
    """Police-recorded offences by year and type, with the places that drive the change."""
    data = _dimension(trends.select(frame, "offences_recorded"), "offence_type")
    data = data[data["year"].between(year - WINDOW + 1, year)]
    if data.empty:
        return None
    section = Section("offences", "Police-recorded offences")
    yearly = trends.series(data)
    years = sorted(int(y) for y in yearly["year"].unique())
    section.sentences = _trend_sentences(data, year, "offences")
    section.tables.append(_year_table(refs, "Offences recorded by type and year", yearly, "category", years))
    section.charts.append(_line_chart("Offences recorded by type", yearly, "category", "offences"))
    start = _compare_start(trends.totals_by_year(data), year)
    where = _where(data)
    if start is not None and where:
        section.tables.append(_drivers_table(trends.drivers(data, start, year, where).head(8), where, start, year))
    _note_suppressed(section, yearly)
    return section


def _drivers_table(table: pd.DataFrame, where: str, start: int, year: int) -> Table:
    rows = [
        [
            Cell(str(row[where])),
            Cell(number(row["start"])),
            Cell(number(row["end"])),
            Cell(f"{row['change']:+,.0f}"),
            Cell(percent(row["contribution"])),
        ]
        for row in table.to_dict("records")
    ]
    header = [where, str(start), str(year), "change", "share of change"]
    return Table(f"Where the change between {start} and {year} comes from", header, rows)


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


def victims_section(frame: pd.DataFrame, year: int, refs: References) -> Section | None:
    """Detected victims by form of exploitation and by nationality."""
    victims = trends.select(frame, "detected_victims")
    if victims[victims["year"] == year].empty:
        return None
    section = Section("victims", "Detected victims")
    forms = victims[victims["dimension"] == "form_of_exploitation"]
    if not forms[forms["year"] == year].empty:
        shares = trends.shares(forms, year)
        parts = [(str(r["category"]).lower(), float(r["share"])) for r in shares.to_dict("records")]
        total = bounded(float(shares["value"].sum()), int(shares["suppressed"].sum()))
        section.sentences.append(share_sentence(year, "victims were detected", total, parts))
        section.sentences += _trend_sentences(forms[forms["year"].between(year - WINDOW + 1, year)], year, "victims")[
            :1
        ]
        section.tables.append(_share_table(refs, f"Victims by form of exploitation, {year}", shares, "category", 12))
        section.charts.append(
            Chart(
                f"Victims by form of exploitation, {year}",
                "bar",
                {"victims": [(str(r["category"]), float(r["value"])) for r in shares.to_dict("records")]},
            )
        )
        recent = trends.series(forms[forms["year"].between(year - WINDOW + 1, year)])
        section.charts.append(_line_chart("Victims by form of exploitation, by year", recent, "category", "persons"))
        _note_suppressed(section, shares)
    nationalities = victims[(victims["dimension"] == "nationality") & (victims["year"] == year)]
    if not nationalities.empty:
        shares = trends.shares(nationalities, year)
        top = [
            f"{r['category']} ({bounded(r['value'], int(r['suppressed']))})" for r in shares.head(3).to_dict("records")
        ]
        section.sentences.append(f"The most frequent nationalities of victims in {year} were {', '.join(top)}.")
        section.tables.append(_share_table(refs, f"Victims by nationality, {year} (top 15)", shares, "category", 15))
        _note_suppressed(section, shares)
    return section


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


def judicial_section(frame: pd.DataFrame, year: int, refs: References) -> Section | None:
    """Prosecutions, convictions, conviction rates, plea against trial and sentences."""
    section = Section("judicial", "Prosecutions and judicial outcomes")
    table, sentences = _yearly_totals_table(refs, frame, year)
    if table is not None:
        section.tables.append(table)
        section.sentences += sentences
    window = frame[frame["year"].between(year - WINDOW + 1, year)]
    rates = judicial.conviction_rates(window)
    if not rates.empty and rates["decided"].sum() > 0:
        rows = [
            [
                Cell(str(int(r["year"]))),
                Cell(number(r["decided"])),
                Cell(number(r["conviction"]), refs.add(f"Convictions {int(r['year'])}", r["refs"])),
                Cell(number(r["acquittal"])),
                Cell(number(r["dismissal"])),
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
        decided = rates["decided"].sum()
        section.sentences.append(
            f"Between {int(rates['year'].min())} and {int(rates['year'].max())}, "
            f"{percent(rates['conviction'].sum() / decided)} of {number(decided)} decided prosecutions "
            "ended in a conviction."
        )
    pleas = judicial.plea_versus_trial(window)
    if not pleas.empty:
        plea, trial = float(pleas["plea"].sum()), float(pleas["trial"].sum())
        section.sentences.append(
            f"{percent(plea / (plea + trial))} of convictions came from a guilty plea, "
            f"{percent(trial / (plea + trial))} from a trial."
        )
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


def build_report(
    frame: pd.DataFrame,
    year: int,
    places: list[str] | None = None,
    online: OnlineFigures | None = None,
    estimates: list[tuple[str, MseEstimate]] | None = None,
) -> Report:
    """The figures section for one year.

    Raises:
        UsageError: when there is no figure for that year.
    """
    data = filter_places(frame, places or [])
    refs = References()
    sources = sorted(str(s) for s in data["source"].unique())
    sections = []
    for build in (offences_section, victims_section, judicial_section):
        for number_, source in enumerate(sources, start=1):
            section = build(data[data["source"] == source], year, refs)
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
    title = f"Trafficking in human beings and migrant smuggling: figures for {year}"
    return Report(title, year, sections, refs.items, sources, synthetic)
