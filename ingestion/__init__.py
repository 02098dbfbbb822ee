"""Election crises warehouse: extraction, loading, gate and publish (no Airflow import)."""
