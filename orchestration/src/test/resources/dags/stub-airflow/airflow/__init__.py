"""A stand-in for Airflow that records the DAGs and tasks a DAG file declares (tests only)."""

RECORDED = []


class DAG:
    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def __enter__(self):
        RECORDED.append({"dag": self.kwargs, "tasks": []})
        return self

    def __exit__(self, *exc):
        return False


def record_task(operator, kwargs):
    RECORDED[-1]["tasks"].append({"operator": operator, **kwargs})
