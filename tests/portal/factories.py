import factory
from allauth.account.models import EmailAddress

from portal.models import User

PASSWORD = "correct-horse-battery"


class SluggedFactory(factory.django.DjangoModelFactory):
    """A row of a short list (a topic, a category): asked for by its slug, made once."""

    class Meta:
        abstract = True
        django_get_or_create = ["slug"]


class OrderedSluggedFactory(SluggedFactory):
    """The same, for a list shown in its editors' order: each row after the last."""

    class Meta:
        abstract = True

    order = factory.Sequence(lambda n: n)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Иван"
    last_name = "Иванов"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def email_verified(user, create, extracted, **kwargs):
        """Accounts sign in only with a confirmed e-mail (allauth): confirmed unless
        `email_verified=False` is passed."""
        if create and user.email and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
