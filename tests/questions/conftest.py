import pytest
from django.contrib.auth.models import Group, User


@pytest.fixture
def author(catalog, client):
    """A signed-in author, as the demo ``author`` (seeddemo): staff, in the Authors group."""
    user = User.objects.create_user("author", password="pw-author-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Authors"))
    client.force_login(user)
    return user
