"""Pagination for long lists whose order spans joined tables."""

from django.core.paginator import Paginator


class NarrowPaginator(Paginator):
    """Choose the page's rows by their keys first, then read only those rows in full.

    A list ordered by columns of joined tables (a pairing's cohort, teacher and
    paraprofessional) makes PostgreSQL join and sort every row before it can keep fifty.
    Here the sort reads only the keys and the ordering columns (a narrow subquery), and the
    wide select (every column, ``select_related``, per-row subqueries) runs on the page's
    keys alone. Same number of queries as ``Paginator``: the count, then the page.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)
