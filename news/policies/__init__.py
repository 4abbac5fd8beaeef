"""Policy documents (政策文件): the 政务公开 metadata of the articles of policy columns — index
number, topic, issuers, document number, dates, genre — kept beside the article (one-to-one),
with the reference data it names (issuers, the State Council's topic list)."""
