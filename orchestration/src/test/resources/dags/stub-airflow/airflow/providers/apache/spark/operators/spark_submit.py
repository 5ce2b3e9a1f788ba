from airflow import record_task


class SparkSubmitOperator:
    template_fields = ("application", "conf", "files", "py_files", "jars", "driver_class_path", "packages",
                       "exclude_packages", "keytab", "principal", "proxy_user", "name", "application_args", "env_vars",
                       "properties_file")

    def __init__(self, **kwargs):
        record_task("SparkSubmitOperator", kwargs, type(self).template_fields)
