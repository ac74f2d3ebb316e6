from django_tasks import task


@task()
def recheck_course_progress(course_id: int) -> int:
    from .models import CoursePage
    from .services import course_progress_recheck

    course = CoursePage.objects.filter(pk=course_id).first()
    return course_progress_recheck(course=course) if course is not None else 0
