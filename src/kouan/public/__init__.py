"""The public query 出入境信息查询一键通: which entry measures apply to a traveller, in Chinese and English.

Unauthenticated and rate-limited; answered from the same rules officers enforce; nothing the public types is stored
or logged.
"""
