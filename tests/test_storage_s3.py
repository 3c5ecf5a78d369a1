"""Files in an S3-compatible bucket (a real S3 API server, moto's, on 127.0.0.1): uploads land in
the bucket without EXIF and private, downloads stream through the permission check, PDFs embed
photos read from the bucket, and nothing is readable without signing."""

import io
import json
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from PIL import Image
from pypdf import PdfReader

from measures.models import Activity
from platser.models import Finding, Stakeholder
from reports import tasks as report_tasks
from reports.models import Report
from tests.factories import (
    FindingFactory,
    MeasureFactory,
    OrganisationFactory,
    SafetyWalkFactory,
    pdf_bytes,
)
from tests.reports.conftest import build_quarter

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
INSIDE = {"type": "Point", "coordinates": [16.169, 60.146]}
PUBLIC_GRANTEES = {
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
}


def jpeg_with_gps(size=(320, 240)) -> bytes:
    image = Image.new("RGB", size, (40, 90, 160))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (60.0, 8.0, 40.0), 3: "E", 4: (16.0, 10.0, 3.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def assert_private(bucket, key):
    """No public grant on the object, no bucket policy, and a plain GET is refused."""
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
    assert not {g["Grantee"].get("URI") for g in grants} & PUBLIC_GRANTEES, grants
    with pytest.raises(bucket.client.exceptions.ClientError, match="NoSuchBucketPolicy"):
        bucket.client.get_bucket_policy(Bucket=bucket.name)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bucket.object_url(key), timeout=5)  # noqa: S310 - our own server
    assert refused.value.code == 403


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_finding_photo_goes_to_the_bucket_without_exif_and_streams_to_members_only(
    s3_bucket, settings, program, place, partner, observer, outsider, client_for
):
    data = {
        "point": json.dumps(INSIDE),
        "category": "belysning",
        "description": "Lampan vid cykelstället är trasig.",
        "source": "partner",
        "responsible_organisation": "",
        "walk": "",
        "photo": SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), "image/jpeg"),
    }
    kwargs = {"program": program.slug, "place": place.pk}
    response = client_for(partner).post(reverse("platser:finding_create", kwargs=kwargs), data)
    assert response.status_code == 302

    with scope(program=program):
        finding = Finding.objects.get()
    [key] = s3_bucket.names()
    assert key == finding.photo.name and key.startswith("findings/")
    stored = s3_bucket.read(key)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and dict(image.getexif()) == {}
    assert not settings.MEDIA_ROOT.exists(), "nothing may be written to the local disk"
    assert_private(s3_bucket, key)

    photo_url = reverse("platser:finding_photo", kwargs={**kwargs, "pk": finding.pk})
    served = client_for(observer).get(photo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["Content-Length"] == str(len(stored))
    assert served["Cache-Control"] == "private, max-age=3600"
    assert body(served) == stored
    assert client_for(outsider).get(photo_url).status_code == 404
    assert client_for(None).get(photo_url).status_code == 302  # to the login page


def test_agreements_with_the_same_file_name_are_two_objects(
    s3_bucket, program, place, organisation, coordinator, observer, client_for
):
    second_organisation = OrganisationFactory(program=program, name="Sala Fastigheter")
    create = reverse(
        "platser:stakeholder_create", kwargs={"program": program.slug, "place": place.pk}
    )
    for org, content in ((organisation, PDF), (second_organisation, PDF + b"% andra\n")):
        response = client_for(coordinator).post(
            create,
            {
                "organisation": org.pk,
                "group": "styrgrupp",
                "commitment": "Kameror vid entrén.",
                "joined_on": "2025-02-01",
                "left_on": "",
                "agreement_type": "samverkansavtal",
                "agreement_signed_on": "2025-03-15",
                "agreement_file": SimpleUploadedFile("avtal.pdf", content, "application/pdf"),
            },
        )
        assert response.status_code == 302, response.content.decode()[:500]

    with scope(program=program):
        first = Stakeholder.objects.get(organisation=organisation)
        second = Stakeholder.objects.get(organisation=second_organisation)
    assert first.agreement_file.name != second.agreement_file.name
    assert s3_bucket.names() == sorted([first.agreement_file.name, second.agreement_file.name])
    for stakeholder, content in ((first, PDF), (second, PDF + b"% andra\n")):
        download = client_for(observer).get(
            reverse(
                "platser:agreement",
                kwargs={"program": program.slug, "place": place.pk, "pk": stakeholder.pk},
            )
        )
        assert download["Content-Type"] == "application/pdf"
        assert body(download) == content
        assert_private(s3_bucket, stakeholder.agreement_file.name)


def test_measure_and_activity_photos_go_to_the_bucket_without_exif(
    s3_bucket, program, place, organisation, partner, client_for
):
    measure = MeasureFactory(place=place, responsible=organisation)
    client = client_for(partner)
    slug = program.slug
    response = client.post(
        reverse("measures:photo_create", kwargs={"program": slug, "pk": measure.pk}),
        {
            "kind": "fore",
            "image": SimpleUploadedFile("fore.jpg", jpeg_with_gps(), "image/jpeg"),
            "caption": "Mörkt",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("measures:activity_create", kwargs={"program": slug, "place": place.pk}),
        {
            "description": "Nattvandring runt busstorget",
            "date": "2026-03-14",
            "hours": "3,5",
            "cost": "0",
            "client_id": "0b9c2a0e-5d7f-4a4e-9f57-2d3b1f0c8a11",
            "photo": SimpleUploadedFile("IMG_2.jpg", jpeg_with_gps(), "image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:800]

    with scopes_disabled():  # test assertion over the rows just written
        photo = measure.photos.get()
        activity = Activity.objects.get()
    assert s3_bucket.names() == sorted([photo.image.name, activity.photo.name])
    for key in s3_bucket.names():
        with Image.open(io.BytesIO(s3_bucket.read(key))) as image:
            assert not image.getexif()
        assert_private(s3_bucket, key)
    served = client.get(
        reverse("measures:photo", kwargs={"program": slug, "measure": measure.pk, "pk": photo.pk})
    )
    assert body(served) == s3_bucket.read(photo.image.name)
    served = client.get(
        reverse("measures:activity_photo", kwargs={"program": slug, "pk": activity.pk})
    )
    assert body(served) == s3_bucket.read(activity.photo.name)


def test_report_is_rendered_into_the_bucket_with_its_photos_read_from_it(
    s3_bucket, program, place, coordinator, observer, client_for, django_capture_on_commit_callbacks
):
    build_quarter(program, place)  # two measure photos, saved to the bucket
    photo_keys = s3_bucket.names()
    assert len(photo_keys) == 2 and all(k.startswith("measures/") for k in photo_keys)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            reverse("reports:create", kwargs={"program": program.slug}),
            {
                "kind": "program",
                "place": "",
                "period_start": "2026-01-01",
                "period_end": "2026-03-31",
                "purpose": "Syftet.",
            },
        )
    assert response.status_code == 302
    with scope(program=program):
        report = Report.objects.get()
    assert report.status == Report.Status.READY
    assert set(s3_bucket.names()) == {*photo_keys, report.pdf.name}
    assert_private(s3_bucket, report.pdf.name)
    stored = s3_bucket.read(report.pdf.name)
    reader = PdfReader(io.BytesIO(stored))
    assert sum(len(page.images) for page in reader.pages) >= 2  # the before and after photos

    download_url = reverse("reports:download", kwargs={"program": program.slug, "pk": report.pk})
    download = client_for(observer).get(download_url)
    assert download["Content-Disposition"].startswith("attachment;")
    assert body(download) == stored

    # Rendering again replaces the object: one PDF per report in the bucket too.
    report_tasks.render_report(report_id=report.pk)
    with scope(program=program):
        again = Report.objects.get()
    assert set(s3_bucket.names()) == {*photo_keys, again.pdf.name}


def test_walk_protocol_embeds_a_finding_photo_from_the_bucket(
    s3_bucket, program, place, observer, client_for
):
    walk = SafetyWalkFactory(place=place)
    finding = FindingFactory(place=place, walk=walk, description="Trasig bänk")
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 40, 40)).save(out, "JPEG")
    with scopes_disabled():  # test set-up: attach a photo to the finding
        finding.photo.save("bank.jpg", ContentFile(out.getvalue()), save=True)
    assert s3_bucket.names() == [finding.photo.name]

    response = client_for(observer).get(
        reverse(
            "platser:walk_protocol",
            kwargs={"program": program.slug, "place": place.pk, "pk": walk.pk},
        )
    )

    reader = PdfReader(io.BytesIO(body(response)))
    assert sum(len(page.images) for page in reader.pages) >= 1


def test_a_row_whose_object_is_gone_is_a_404_not_a_500(
    s3_bucket, program, place, observer, client_for
):
    finding = FindingFactory(place=place)
    with scopes_disabled():  # test set-up: attach a photo, then lose it in the bucket
        finding.photo.save("foto.jpg", ContentFile(b"\xff\xd8\xff"), save=True)
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key=finding.photo.name)

    response = client_for(observer).get(
        reverse(
            "platser:finding_photo",
            kwargs={"program": program.slug, "place": place.pk, "pk": finding.pk},
        )
    )
    assert response.status_code == 404


def test_health_reports_the_bucket(s3_bucket, client, settings):
    assert client.get("/health/").json()["storage"] == "ok"

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**s3_bucket.storage, "OPTIONS": {**s3_bucket.storage["OPTIONS"]}},
    }
    settings.STORAGES["default"]["OPTIONS"]["bucket_name"] = "trygga-finns-inte"
    response = client.get("/health/")
    assert response.status_code == 200  # pages work without files: reported, not fatal
    assert response.json()["storage"].startswith("error:")
