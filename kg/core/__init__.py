"""The vocabulary every stage shares: namespaces (closed ``lz:``), the model's
tables (types, links, values, statuses, units), canonical terms and the one
table of formats. It depends on nothing else in ``kg``.
"""
