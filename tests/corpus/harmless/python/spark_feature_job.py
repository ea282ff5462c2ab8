from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.appName("user-features").getOrCreate()

events = spark.read.parquet("s3a://acme-datalake-prod/curated/events/")
features = (events
            .groupBy("user_id")
            .agg(F.count("*").alias("n_events"),
                 F.countDistinct("session_id").alias("n_sessions"),
                 F.max("ts").alias("last_seen"))
            .drop("debug"))

features.write.mode("append").saveAsTable("features.user_activity")
features.write.mode("overwrite").parquet("/tmp/user_features_preview")
features.createOrReplaceTempView("user_features")
spark.sql("SELECT count(*) FROM user_features").show()
