from rest_framework import serializers

from faq.models import Article, Category


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "title", "description"]


class ArticleSerializer(serializers.ModelSerializer):
    category = CategorySerializer(read_only=True)
    # A path on this site ("/help/faq/…/"), not an absolute URI.
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Article
        fields = ["id", "slug", "title", "short_answer", "body", "category", "url", "updated_at"]
