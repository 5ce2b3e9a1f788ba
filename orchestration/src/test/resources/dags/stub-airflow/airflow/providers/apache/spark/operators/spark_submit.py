from airflow import record_task


class SparkSubmitOperator:
    def __init__(self, **kwargs):
        record_task("SparkSubmitOperator", kwargs)
