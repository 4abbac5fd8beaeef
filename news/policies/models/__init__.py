"""The metadata of a policy document and the reference data it names.

A policy document stays an ``Article`` (bilingual texts, workflow, schedule, revisions,
attachments, search, feeds, import); ``DocumentMeta`` is its one-to-one record of the
政务公开 fields. Sources: the State Council's guidelines for government websites
(国办发〔2017〕47号) for the metadata block; GB/T 9704-2012 for document numbers
(``news.policies.numbers``); the State Council policy library (www.gov.cn/zhengce/xxgk/) for the
index-number form and the topic list.
"""

from .documents import DocumentMeta, DocumentMetaQuerySet
from .reference import IndexSerial, Issuer, TopicCategory
from .relations import (
    INTERPRETS_NOTHING,
    RELATION_LOCK,
    DocumentRelation,
    is_interpretation_column,
    is_policy_column,
    publish_faults,
)

__all__ = [
    "INTERPRETS_NOTHING",
    "RELATION_LOCK",
    "DocumentMeta",
    "DocumentMetaQuerySet",
    "DocumentRelation",
    "IndexSerial",
    "Issuer",
    "TopicCategory",
    "is_interpretation_column",
    "is_policy_column",
    "publish_faults",
]
