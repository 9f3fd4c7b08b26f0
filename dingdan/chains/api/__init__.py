"""Group-buy campaigns over the REST API: the same services and selectors as the pages.

`campaigns` (campaigns and pickup points), `imports` (a pasted chain previewed, then
confirmed into orders) and `summaries` (what a campaign adds up to)."""
