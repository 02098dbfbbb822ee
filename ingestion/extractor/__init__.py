"""Casualty figures read from bulletin prose: which number counts which casualties, of whom, how firmly.

Ministries, police and NGOs publish their counts as sentences, not tables. A figure is only worth
keeping if the number is really in the sentence and is really a count of people: dates, times, ages,
durations, percentages and vote counts are never figures, and a number without a casualty word in its
clause is dropped rather than guessed. Each figure keeps its sentence verbatim (with its offsets) as
evidence, and the words that made it (cues) so a reader can check the reading.

Modules: numbers (digits per locale, number words), lexicon/<lang> (metric cues, qualifiers, group
nouns), sentences (segmentation), language (detection), attach (metric, scope, who was counted),
extract (the text-wide pass).
"""
from ingestion.extractor.extract import extract_figures, figures_as_json_lines, figures_as_records
from ingestion.extractor.figure import COUNTED, METRICS, QUALIFIERS, SCOPES, CasualtyFigure, UnsupportedLanguage
from ingestion.extractor.language import detect_language
from ingestion.extractor.lexicon import LANGUAGES

# Bumped on every change of what the extractor reads: derived figures carry it, so they can be re-derived.
EXTRACTOR_VERSION = "2.6.0"

__all__ = ["EXTRACTOR_VERSION", "CasualtyFigure", "UnsupportedLanguage", "extract_figures", "figures_as_json_lines",
           "figures_as_records", "detect_language", "METRICS", "QUALIFIERS", "COUNTED", "SCOPES", "LANGUAGES"]
