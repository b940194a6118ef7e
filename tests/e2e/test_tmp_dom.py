import collections
from html.parser import HTMLParser
import pytest
from django.apps import apps
from courses import content
from portal.demo import demo_organisation_load
from portal.models import User

pytestmark = [pytest.mark.django_db(transaction=True)]

class Counter(HTMLParser):
    def __init__(self):
        super().__init__(); self.c = collections.Counter(); self.svg = 0
    def handle_starttag(self, tag, attrs):
        if self.svg and tag != "svg": self.c["(in svg)"] += 1; return
        if tag == "svg": self.svg += 1
        self.c[tag] += 1
    def handle_endtag(self, tag):
        if tag == "svg": self.svg -= 1

def test_dom(client, reference_rows):
    content.load(apps); demo_organisation_load()
    for user, url in (("alice", "/estimator/"), ("admin", "/dashboard/"), ("alice", "/estimator/compare/"), ("alice", "/estimator/scenario/")):
        client.force_login(User.objects.get(username=user))
        html = client.get(url).content.decode()
        p = Counter(); p.feed(html)
        print(url, len(html), sum(v for k, v in p.c.items() if k != "(in svg)"), p.c.most_common(14))
        open(f"/tmp/axe_{url.strip('/').replace('/', '_')}.html", "w").write(html)
