import factory
from allauth.account.models import EmailAddress

from portal.models import User

PASSWORD = "correct-horse-battery"


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
