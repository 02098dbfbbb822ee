"""One parser module per source family and format."""
