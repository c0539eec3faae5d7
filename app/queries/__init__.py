"""Reads: the queries behind the pages, one module per page family. Services write; views parse
the request, call a query here, and render what it returns."""
