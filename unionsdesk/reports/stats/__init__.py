"""The upward statistics tables (DOMAIN.md §9): one module per table, each a function
of (period, scope) returning a `StatReport` whose parts are `Table` values; every
figure can be traced to its rows (`StatReport.drill`)."""
