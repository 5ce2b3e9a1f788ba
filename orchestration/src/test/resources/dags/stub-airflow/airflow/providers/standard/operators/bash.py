from airflow import record_task


class BashOperator:
    template_fields = ("bash_command", "env", "cwd")
    template_ext = (".sh", ".bash")

    def __init__(self, **kwargs):
        record_task("BashOperator", kwargs, type(self).template_fields)
