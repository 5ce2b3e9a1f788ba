from airflow import DAG  # noqa: F401  (Airflow 3 layout)
