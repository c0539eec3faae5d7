"""A bare Flask "hello", served by the same gunicorn as the app in bench/portal_speed.py."""

from flask import Flask

app = Flask("hello")


@app.get("/")
def hello() -> str:
    return "hello"
