"""A stand-in for Airflow that records the DAGs and tasks a DAG file declares (tests only).

Like Airflow, a task's template fields are rendered as Jinja templates (with jinja2, when
installed) before they are recorded, so a test sees what the worker would run.
"""

RECORDED = []


class DAG:
    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def __enter__(self):
        RECORDED.append({"dag": self.kwargs, "tasks": []})
        return self

    def __exit__(self, *exc):
        return False


def _render(value):
    try:
        import jinja2
    except ImportError:
        return value
    if isinstance(value, str):
        return jinja2.Environment().from_string(value).render(ds="2024-01-01", dag_run=None)
    if isinstance(value, list):
        return [_render(v) for v in value]
    if isinstance(value, dict):
        return {k: _render(v) for k, v in value.items()}
    return value


def record_task(operator, kwargs, template_fields=()):
    rendered = {k: (_render(v) if k in template_fields else v) for k, v in kwargs.items()}
    RECORDED[-1]["tasks"].append({"operator": operator, "template_fields": list(template_fields), **rendered})
