"""The casualty extractor's public import path (a facade: the code lives in ingestion.extractor)."""
from ingestion.extractor import (COUNTED, EXTRACTOR_VERSION, LANGUAGES, METRICS, QUALIFIERS, SCOPES, CasualtyFigure,
                                 UnsupportedLanguage, detect_language, extract_figures, figures_as_json_lines,
                                 figures_as_records)

__all__ = ["EXTRACTOR_VERSION", "CasualtyFigure", "UnsupportedLanguage", "extract_figures", "figures_as_json_lines",
           "figures_as_records", "detect_language", "METRICS", "QUALIFIERS", "COUNTED", "SCOPES", "LANGUAGES"]
