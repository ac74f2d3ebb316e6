from django_tasks import task


@task()
def process_h5p_package(content_id: int) -> str:
    from .h5p.services import h5p_content_process

    return h5p_content_process(content_id=content_id).status
