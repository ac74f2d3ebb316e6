"""Course steps: the pages whose completion makes up a course's progress.

Lessons are steps. An app higher in the dependency order (assessments) registers its own
page types here at start-up, so courses counts them without importing that app. A step
model has the fields ``is_required`` and ``estimated_minutes`` and a class attribute
``manual_completion`` (True when the trainee marks it complete themselves).
"""

_registered: list = []


def register_step_model(model) -> None:
    if model not in _registered:
        _registered.append(model)


def step_models() -> list:
    from .models import LessonPage

    return [LessonPage, *_registered]
