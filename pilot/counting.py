"""Several COUNT(*)s in one round trip, for pages that show many figures."""

from django.db.models import IntegerField, QuerySet, Subquery

from pilot.models import User


class SubqueryCount(Subquery):
    """COUNT(*) of a queryset as a scalar subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def count_all(user: User, **querysets: QuerySet) -> dict[str, int]:
    """Count each queryset in a single query (hung on the signed-in user's own row)."""
    expressions = {
        name: SubqueryCount(qs.order_by().values("pk")) for name, qs in querysets.items()
    }
    return User.objects.filter(pk=user.pk).values(**expressions).get()
