from django_tasks import task


@task()
def apply_package_import(import_id: int) -> str:
    from .services import package_import_apply

    return package_import_apply(import_id=import_id).status
