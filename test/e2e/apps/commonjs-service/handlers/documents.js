'use strict';

const documents = require('../services/DocumentService');
const mimeFor = require('../lib/mime');

const NAME = /^[\w][\w.-]{0,120}$/;

exports.upload = function (req, res, next) {
  const name = req.params.name;
  if (!NAME.test(name)) return res.status(400).json({ error: 'bad name' });
  documents.save(name, req.session.accountId, req, (err, doc) => {
    if (err) return next(err);
    res.status(201).json(doc);
  });
};

exports.download = function (req, res) {
  const stream = documents.open(req.params.name);
  if (!stream) return res.status(404).json({ error: 'no such document' });
  res.type(mimeFor(req.params.name));
  stream.pipe(res);
};

exports.preview = function (req, res) {
  const preview = documents.preview(req.params.name);
  if (!preview) return res.status(404).json({ error: 'no such document' });
  res.json(preview);
};

exports.list = function (req, res, next) {
  documents.list().then((docs) => res.json({ documents: docs }), next);
};

exports.comment = function (req, res, next) {
  const text = String((req.body && req.body.text) || '').trim();
  if (!text) return res.status(400).json({ error: 'empty comment' });
  documents
    .addComment(req.params.name, req.session.username, text)
    .then((comments) => res.status(201).json({ comments }), next);
};

exports.comments = function (req, res, next) {
  documents.comments(req.params.name).then((comments) => res.json({ comments }), next);
};
