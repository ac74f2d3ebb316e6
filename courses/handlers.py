"""Receivers of other apps' and Django's signals."""


def creator_owns_new_course(sender, instance, created, raw=False, **kwargs):
    """The trainer who creates a course owns it from its first save, in the transaction of
    that save (the admin's create view runs in one: content.authoring), so no later
    request — the autosave's next post, the publish — ever finds it ownerless."""
    if not created or raw or not instance.owner_id:
        return
    from .services import course_owner_add

    course_owner_add(course=instance, user=instance.owner, by=None, reason="created")
