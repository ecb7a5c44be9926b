"""Requests for a free consultation.  Until online booking arrives (issue 4) the page
gives the phone number and office hours."""

from django.shortcuts import render


def consultation(request):
    return render(request, "booking/consultation.html")
