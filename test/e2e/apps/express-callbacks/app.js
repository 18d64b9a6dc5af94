var express = require('express');
var session = require('express-session');
var cookieParser = require('cookie-parser');
var bodyParser = require('body-parser');
var logger = require('morgan');
var config = require('./config');

var authRouter = require('./routes/auth');
var booksRouter = require('./routes/books');
var exportsRouter = require('./routes/exports');
var apiRouter = require('./routes/api');

var app = express();

app.set('trust proxy', 1);
if (process.env.NODE_ENV !== 'test') app.use(logger('dev'));
app.use(bodyParser.json());
app.use(bodyParser.urlencoded({ extended: false }));
app.use(cookieParser());
app.use(session({
  secret: config.sessionSecret,
  resave: false,
  saveUninitialized: false,
  cookie: { httpOnly: true, maxAge: 7 * 24 * 3600 * 1000 }
}));

app.get('/', function (req, res) {
  res.json({ name: config.siteName, ok: true });
});
app.use('/auth', authRouter);
app.use('/books', booksRouter);
app.use('/exports', exportsRouter);
app.use('/api', apiRouter);

app.use(function (req, res) {
  res.status(404).json({ error: 'not found' });
});

// eslint-disable-next-line no-unused-vars
app.use(function (err, req, res, next) {
  console.error(err.stack || err);
  res.status(err.status || 500).json({ error: err.expose ? err.message : 'internal error' });
});

module.exports = app;
