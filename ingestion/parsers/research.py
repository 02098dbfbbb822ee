"""The research datasets' file layouts: which columns each published layout must have.

A dataset is loaded by ingestion/tabular.py with DuckDB's own CSV reader; this module only says
what a file must look like. A layout lists the columns our models read (`required`: a file
without one of them is rejected naming it) and the free-text columns the bundled snapshot drops
(`optional`). Any other column the publisher adds is kept in raw as sent.

Each layout also names its record key (for duplicate and quarantine messages) and the country
code the loader checks against the one country resolver's seed (`dbt_project/seeds/
country_codes.csv`), in that code system and, where the dataset has one, in that year.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryCheck:
    column: str
    system: str  # a system of country_codes.csv: iso3, cow, gw, ...
    year_column: str | None = None  # codes valid in that year (COW and G-W codes change over time)


@dataclass(frozen=True)
class Layout:
    name: str
    table: str
    required: tuple[str, ...]
    key: tuple[str, ...]
    optional: tuple[str, ...] = ()
    country: CountryCheck | None = None

    def identify(self, columns: set[str]) -> int:
        """How many of this layout's required columns a header has (the best layout wins)."""
        return len(set(self.required) & columns)


@dataclass(frozen=True)
class TabularFormat:
    parser: str
    layouts: tuple[Layout, ...]
    delimiter: str = ","
    encoding: str = "utf-8"  # as DuckDB's read_csv names it: utf-8, latin-1, utf-16
    escape: str = '"'  # inside a quoted field: '"' doubles it (RFC 4180), PEI writes \\"
    strict: bool = True  # False where a publisher's line endings are mixed (DuckDB's strict_mode)

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(layout.table for layout in self.layouts)


DECO = TabularFormat(
    parser="research.deco_events",
    strict=False,  # v1.0's header line ends in CRLF, its rows in LF
    layouts=(Layout(
        name="deco_v1",
        table="deco_events",
        required=("id", "type_of_violence", "conflict_new_id", "dyad_new_id", "side_a_new_id", "side_a",
                  "side_b_new_id", "side_b", "country_id", "country", "region", "year", "date_start",
                  "date_end", "deaths_a", "deaths_b", "civilian_deaths", "unknown", "best", "high", "low",
                  "latitude", "longitude", "electoral_vio", "electoral_vio_uncertainty", "electoral_purpose",
                  "electoral_side_a", "electoral_side_a_2", "electoral_side_a_inc", "electoral_side_b",
                  "electoral_side_b_2", "electoral_side_b_inc", "electoral_perpetrator", "electoral_targets",
                  "electoral_type", "electoral_timing"),
        optional=("conflict_name", "source_article", "electoral_vio_source", "relid", "ucdp_ged"),
        key=("id",),
        country=CountryCheck("country_id", "gw", "year"),
    ),),
)

PARLGOV = TabularFormat(
    parser="research.parlgov_elections",
    layouts=(
        Layout(
            name="parlgov_classic",
            table="parlgov_election_classic",
            required=("country_name_short", "country_name", "election_type", "election_date", "vote_share",
                      "seats", "seats_total", "party_name_short", "party_name", "party_name_english",
                      "country_id", "election_id", "party_id"),
            optional=("left_right", "previous_parliament_election_id", "previous_cabinet_id"),
            key=("election_id", "party_id"),
            country=CountryCheck("country_name_short", "iso3"),
        ),
        Layout(
            name="parlgov_2024",
            table="parlgov_election_2024",
            required=("country", "date", "type", "party", "seats", "vote_share", "votes", "election_id",
                      "party_id"),
            optional=("id", "created_at", "updated_at", "party_id_source", "data_source", "description",
                      "comment", "data_json", "alliance_id"),
            key=("election_id", "party_id"),
            country=CountryCheck("country", "iso3"),
        ),
    ),
)

PEI = TabularFormat(
    parser="research.pei_elections",
    delimiter="\t",
    encoding="latin-1",
    escape="\\",  # "Francisco \"Lu-Olo\" Guterres"
    layouts=(Layout(
        name="pei_7",
        table="pei_elections",
        # what stg_pei__elections reads: the overall indices with their intervals and the eleven
        # dimension indices (each also as its 0-100 "i" variant)
        required=("election", "date", "year", "office", "country", "ccodecow", "iso", "refno", "numresponses",
                  "peiindexp", "peiindexp_lci", "peiindexp_hci", "peiindexi", "peiindexi_lci", "peiindexi_hci",
                  "peiindex_rank", "rating", "rating_lci", "rating_hci", "peitype", "laws", "lawsi", "procedures",
                  "proceduresi", "boundaries", "boundariesi", "votereg", "voteregi", "partyreg", "partyregi",
                  "media", "mediai", "finance", "financei", "voting", "votingi", "count", "counti", "results",
                  "resultsi", "embs", "embsi"),
        key=("election",),
        country=CountryCheck("iso", "iso3"),
    ),),
)

NELDA = TabularFormat(
    parser="research.nelda_elections",
    encoding="latin-1",
    layouts=(Layout(
        name="nelda",
        table="nelda_elections",
        required=("stateid", "ccode", "country", "electionid", "year", "mmdd", "types",
                  *(f"nelda{n}" for n in range(1, 59))),
        optional=("notes",),
        key=("electionid",),
        country=CountryCheck("ccode", "cow", "year"),
    ),),
)

FORMATS: dict[str, TabularFormat] = {f.parser: f for f in (DECO, PARLGOV, PEI, NELDA)}
