"""The request page reads its documents and caseworkers at once: more of them cost no query."""

from __future__ import annotations

from django.urls import reverse

from birlik.charity import services

from .factories import pdf_upload


def test_the_request_page_costs_the_same_for_one_document_and_eight(
    login, charity, django_assert_max_num_queries
):
    request = charity.request
    services.request_start_verification(actor=charity.worker, help_request=request)
    services.document_add(actor=charity.worker, help_request=request, file=pdf_upload("first.pdf"))
    client = login(charity.worker)
    page_url = reverse("charity:request", kwargs={"pk": request.pk})
    with django_assert_max_num_queries(30) as few:
        assert client.get(page_url).status_code == 200
    for number in range(7):
        services.document_add(
            actor=charity.worker, help_request=request, file=pdf_upload(f"more-{number}.pdf")
        )
    services.request_assign(actor=charity.head, help_request=request, worker=charity.colleague)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(page_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(f"/requests/{request.pk}/documents/") == 8
    assert charity.colleague.full_name in page
