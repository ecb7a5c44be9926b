"""Articles and search.  Until the articles arrive (issue 3) these pages say so kindly."""

from django.shortcuts import render

from mindscape.crisis import is_crisis_text

MAX_QUERY_LENGTH = 200


def article_list(request):
    return render(request, "blog/article_list.html")


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    return render(
        request,
        "blog/search.html",
        {"query": query, "show_crisis": is_crisis_text(query)},
    )
